/// A pattern of generic mailbox names, in the simple syntax operators write in the configuration: `*` any run of
/// characters (possibly none), `?` any one character, `#` any one digit; everything else stands for itself,
/// without regard to case. `ce.#######?` matches `ce.0750001a` (a school's mailbox: `ce.` and its UAI).
package struct GlobPattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as configured.
    package let text: String
    private let bytes: [UInt8]

    /// The pattern `text`.
    package init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8).map(ASCII.lowercased)
    }

    package var description: String { text }

    /// Whether the whole of `value` matches, without regard to ASCII case. Linear in practice: the classic
    /// two-pointer walk that remembers the last `*` and retries from there (no exponential backtracking).
    package func matches(_ value: String) -> Bool {
        let subject = Array(value.utf8).map(ASCII.lowercased)
        var patternIndex = 0
        var subjectIndex = 0
        var star: (pattern: Int, subject: Int)?
        while subjectIndex < subject.count {
            if patternIndex < bytes.count, Self.matchesOne(bytes[patternIndex], subject[subjectIndex]) {
                patternIndex += 1
                subjectIndex += 1
            } else if patternIndex < bytes.count, bytes[patternIndex] == UInt8(ascii: "*") {
                star = (patternIndex, subjectIndex)
                patternIndex += 1
            } else if let last = star {
                patternIndex = last.pattern + 1
                subjectIndex = last.subject + 1
                star = (last.pattern, last.subject + 1)
            } else {
                return false
            }
        }
        while patternIndex < bytes.count, bytes[patternIndex] == UInt8(ascii: "*") { patternIndex += 1 }
        return patternIndex == bytes.count
    }

    private static func matchesOne(_ pattern: UInt8, _ byte: UInt8) -> Bool {
        switch pattern {
        case UInt8(ascii: "*"): false
        case UInt8(ascii: "?"): true
        case UInt8(ascii: "#"): ASCII.isDigit(byte)
        default: pattern == byte
        }
    }
}

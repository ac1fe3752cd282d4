/// A value of the Substring Assertion syntax (RFC 4517 §3.3.30): `initial*any*…*final`, with
/// `\2A` for a literal `*` and `\5C` for a literal `\` — the form of an extensible-match
/// assertion for a substrings rule.
public struct SubstringAssertion: Hashable, Sendable {
    /// The piece the value starts with, if any.
    public var initial: [UInt8]?
    /// The pieces the value contains, in order.
    public var any: [[UInt8]]
    /// The piece the value ends with, if any.
    public var final: [UInt8]?

    /// Why a value is not a substring assertion.
    public struct ParseError: Error, Hashable, Sendable {
        /// What is wrong.
        public var reason: String
    }

    /// Creates an assertion from its unescaped pieces.
    public init(initial: [UInt8]? = nil, any: [[UInt8]] = [], final: [UInt8]? = nil) {
        self.initial = initial
        self.any = any
        self.final = final
    }

    /// Parses the escaped `initial*any*final` form. Needs at least one `*`.
    public init(parsing value: [UInt8]) throws(ParseError) {
        var pieces: [[UInt8]] = [[]]
        var index = 0
        while index < value.count {
            let byte = value[index]
            if byte == UInt8(ascii: "*") {
                pieces.append([])
                index += 1
            } else if byte == UInt8(ascii: "\\") {
                guard index + 2 < value.count,
                    let high = UUIDSyntax.hexValue(value[index + 1]), let low = UUIDSyntax.hexValue(value[index + 2])
                else {
                    throw ParseError(reason: "'\\' at offset \(index) is not followed by two hex digits")
                }
                pieces[pieces.count - 1].append(high << 4 | low)
                index += 3
            } else {
                pieces[pieces.count - 1].append(byte)
                index += 1
            }
        }
        guard pieces.count >= 2 else { throw ParseError(reason: "no '*' in a substring assertion") }
        let first = pieces.removeFirst()
        let last = pieces.removeLast()
        if pieces.contains(where: \.isEmpty) { throw ParseError(reason: "empty substring between two '*'") }
        self.init(initial: first.isEmpty ? nil : first, any: pieces, final: last.isEmpty ? nil : last)
    }
}

/// Why a string is not a valid search filter (RFC 4515 §3).
///
/// ``offset`` is the UTF-8 byte offset in the input of the offending character (for a filter
/// given without its outer parentheses, in the string as given); ``description`` gives a sentence
/// a person can act on, e.g. `invalid filter at offset 9: '(' must be escaped in a value (write \28)`.
public struct FilterSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of syntax error.
    public enum Kind: Hashable, Sendable {
        /// The input is empty or only spaces.
        case empty
        /// The input ends where `expected` was required.
        case unexpectedEnd(expected: String)
        /// `found` appears where `expected` was required.
        case unexpectedCharacter(Character, expected: String)
        /// The attribute description is not `(descr / numericoid) *(";" option)`; carries it.
        case invalidAttributeDescription(String)
        /// The matching rule of an extensible match is not a descriptor or numeric OID; carries it.
        case invalidMatchingRule(String)
        /// An extensible match has neither an attribute type nor a matching rule (`(:=x)`), or a
        /// `:` that introduces no rule (`(cn::=x)`).
        case missingMatchingRule
        /// A backslash in a value is not followed by two hex digits.
        case invalidEscape
        /// A character that must be escaped appears unescaped in a value (`(`, NUL, or `*` where
        /// no substring is allowed).
        case unescapedCharacter(Character)
        /// A substring filter without any non-empty component, such as `(cn=**)`.
        case emptySubstringFilter
        /// Filters are nested deeper than the allowed maximum.
        case tooDeep(maximumDepth: Int)
    }

    /// What is wrong.
    public var kind: Kind
    /// The UTF-8 byte offset in the input where the problem was found.
    public var offset: Int

    /// Creates an error of `kind` found at byte `offset` of the input.
    public init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// A readable explanation with the offset, suitable for an error message.
    public var description: String {
        "invalid filter at offset \(self.offset): \(self.reason)"
    }

    private var reason: String {
        switch self.kind {
        case .empty:
            return "the filter is empty"
        case .unexpectedEnd(let expected):
            return "the filter ends where \(expected) was expected"
        case .unexpectedCharacter(let found, let expected):
            return "found '\(Self.shown(found))' where \(expected) was expected"
        case .invalidAttributeDescription(let description):
            return "'\(description)' is not an attribute description (a name such as cn or a numeric OID such as"
                + " 2.5.4.3, optionally followed by options such as ;lang-fr)"
        case .invalidMatchingRule(let rule):
            return "'\(rule)' is not a matching rule (a name such as caseExactMatch or a numeric OID)"
        case .missingMatchingRule:
            return "an extensible match needs a matching rule after ':' (and one when no attribute is given)"
        case .invalidEscape:
            return "a backslash in a value must be followed by two hex digits (\\2a for *, \\28 for (, \\5c for \\)"
        case .unescapedCharacter(let character):
            let hex = character.utf8.map { DNHex.pair($0) }.joined(separator: "\\")
            return "'\(Self.shown(character))' must be escaped in a value (write \\\(hex))"
        case .emptySubstringFilter:
            return "a substring filter needs at least one non-empty component"
        case .tooDeep(let maximumDepth):
            return "filters are nested more than \(maximumDepth) levels deep"
        }
    }

    private static func shown(_ character: Character) -> String {
        character.unicodeScalars.map { $0.escaped(asASCII: false) }.joined()
    }
}

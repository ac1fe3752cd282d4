/// Why a string is not a valid distinguished name (RFC 4514 §3).
///
/// ``offset`` is the UTF-8 byte offset in the input of the offending character; ``description``
/// gives a sentence a person can act on, e.g.
/// `invalid DN at offset 7: '<' must be escaped in a value (write \< or \3c)`.
public struct DNSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of syntax error.
    public enum Kind: Hashable, Sendable {
        /// The input is longer than the parser's `maximumLength`.
        case tooLong(length: Int, maximum: Int)
        /// The bytes at ``DNSyntaxError/offset`` are not valid UTF-8 (in the input, or in a value
        /// after its `\XX` escapes were decoded).
        case invalidUTF8
        /// An RDN component has no attribute type, e.g. `=foo` or `cn=a,,dc=b`.
        case emptyAttributeType
        /// The attribute type is neither a descriptor (`ALPHA *(ALPHA / DIGIT / "-")`) nor a
        /// numeric OID; carries what was read.
        case invalidAttributeType(String)
        /// A numeric OID attribute type is malformed (`1`, `1..2`, `1.02`); carries what was read.
        case invalidNumericOID(String)
        /// The attribute type is not followed by `=`; carries the character found instead, or
        /// `nil` at the end of the input.
        case missingEquals(found: Character?)
        /// A backslash is followed by neither a special character nor two hex digits.
        case invalidEscape
        /// A character that RFC 4514 requires to be escaped appears unescaped in a value.
        case unescapedCharacter(Character)
        /// A `#hex` value has an odd number of hex digits, none, or is not one BER element.
        case invalidHexValue(String)
        /// The characters after a `#hex` value are not a separator (`,` `;` `+`) or the end.
        case unexpectedCharacterAfterHexValue(Character)
        /// A separator is not followed by another RDN component, e.g. `cn=a,` or `cn=a+`.
        case emptyRDN
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

    /// A readable explanation with the offset, suitable for an LDAP diagnostic message.
    public var description: String {
        "invalid DN at offset \(self.offset): \(self.reason)"
    }

    private var reason: String {
        switch self.kind {
        case .tooLong(let length, let maximum):
            return "the DN is \(length) bytes long, more than the maximum of \(maximum)"
        case .invalidUTF8:
            return "invalid UTF-8 (use the #hex form for values that are not strings)"
        case .emptyAttributeType:
            return "an attribute type is missing before '='"
        case .invalidAttributeType(let type):
            return "'\(type)' is not an attribute type (a name such as cn or a numeric OID such as 2.5.4.3)"
        case .invalidNumericOID(let oid):
            return "'\(oid)' is not a numeric OID (numbers without leading zeros separated by single dots)"
        case .missingEquals(let found?):
            return "expected '=' after the attribute type, found '\(found)'"
        case .missingEquals(nil):
            return "expected '=' after the attribute type, found the end of the DN"
        case .invalidEscape:
            return "a backslash must be followed by one of \" + , ; < > \\ = # space or by two hex digits"
        case .unescapedCharacter(let character):
            let hex = character.utf8.map { DNHex.pair($0) }.joined(separator: "\\")
            return "'\(character.debugEscaped)' must be escaped in a value (write \\\(hex))"
        case .invalidHexValue(let reason):
            return "invalid #hex value: \(reason)"
        case .unexpectedCharacterAfterHexValue(let character):
            return "unexpected '\(character.debugEscaped)' after a #hex value (expected ',', '+' or the end)"
        case .emptyRDN:
            return "an RDN is missing after a separator"
        }
    }
}

extension Character {
    /// The character, with control characters shown as Swift escapes, for error messages.
    fileprivate var debugEscaped: String {
        self.unicodeScalars.map { $0.escaped(asASCII: false) }.joined()
    }
}

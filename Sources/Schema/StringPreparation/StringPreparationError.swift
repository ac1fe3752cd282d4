/// Why a string could not be prepared for matching (RFC 4518 §2).
public enum StringPreparationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes are not valid UTF-8; carries the offset of the first invalid byte.
    case invalidUTF8(offset: Int)
    /// The string holds a code point RFC 4518 §2.4 prohibits (unassigned, private use,
    /// non-character, REPLACEMENT CHARACTER, or one that changes display properties).
    case prohibitedCodePoint(UInt32)

    /// A sentence suitable for an LDAP diagnostic message.
    public var description: String {
        switch self {
        case .invalidUTF8(let offset):
            return "not valid UTF-8 at byte \(offset)"
        case .prohibitedCodePoint(let value):
            var hex = String(value, radix: 16, uppercase: true)
            while hex.count < 4 { hex = "0" + hex }
            return "prohibited character U+\(hex)"
        }
    }
}

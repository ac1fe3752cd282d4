import LDAPProtocol

/// The value checks behind the built-in syntaxes; each returns the reason a value is invalid.
enum SyntaxCheck: Sendable {
    /// Any octets (Octet String, JPEG, Fax, certificates, …).
    case anyOctets
    /// One or more characters of valid UTF-8 (Directory String, and text syntaxes checked no
    /// further).
    case directoryString
    /// Zero or more ASCII characters.
    case ia5String
    /// One or more PrintableCharacters.
    case printableString
    /// Exactly two PrintableCharacters (Country String).
    case countryString
    /// One or more digits and spaces.
    case numericString
    case integer
    case boolean
    case generalizedTime
    case distinguishedName
    case objectIdentifier
    case telephoneNumber
    case postalAddress
    case uuid
    case bitString
    case nameAndOptionalUID
    case substringAssertion
    /// A parenthesised RFC 4512 description (attribute types, object classes, …), checked only
    /// for its parentheses; the schema parser reads the contents.
    case schemaDescription
    /// A check supplied by the caller.
    case custom(@Sendable ([UInt8]) -> String?)

    func violation(in value: [UInt8]) -> String? {
        switch self {
        case .custom(let check):
            return check(value)
        case .anyOctets:
            return nil
        case .directoryString:
            if value.isEmpty { return "empty value" }
            return Self.utf8Violation(value)
        case .ia5String:
            if let index = value.firstIndex(where: { $0 >= 0x80 }) {
                return "byte \(index) is not an ASCII (IA5) character"
            }
            return nil
        case .printableString, .telephoneNumber:
            if value.isEmpty { return "empty value" }
            return Self.printableViolation(value)
        case .countryString:
            if value.count != 2 { return "a country code has exactly two characters" }
            return Self.printableViolation(value)
        case .numericString:
            if value.isEmpty { return "empty value" }
            if let index = value.firstIndex(where: { !Self.isDigit($0) && $0 != 0x20 }) {
                return "character \(Self.describe(value, at: index)) is neither a digit nor a space"
            }
            return nil
        case .integer:
            return IntegerValue.violation(in: value)
        case .boolean:
            if value.elementsEqual("TRUE".utf8) || value.elementsEqual("FALSE".utf8) { return nil }
            return "must be TRUE or FALSE (upper case)"
        case .generalizedTime:
            do {
                _ = try GeneralizedTime(value)
                return nil
            } catch {
                return error.reason
            }
        case .distinguishedName:
            do {
                _ = try DistinguishedName(utf8: value)
                return nil
            } catch {
                return error.description
            }
        case .objectIdentifier:
            return ObjectIdentifierSyntax.violation(in: value[...])
        case .postalAddress:
            return PostalAddressSyntax.violation(in: value)
        case .uuid:
            return UUIDSyntax.violation(in: value)
        case .bitString:
            return Self.bitStringViolation(value[...])
        case .nameAndOptionalUID:
            return Self.nameAndOptionalUIDViolation(value)
        case .substringAssertion:
            do {
                let assertion = try SubstringAssertion(parsing: value)
                if assertion.initial == nil && assertion.any.isEmpty && assertion.final == nil {
                    return "no substring"
                }
                return nil
            } catch {
                return error.reason
            }
        case .schemaDescription:
            if let reason = Self.utf8Violation(value) { return reason }
            let trimmed = value.drop(while: { $0 == 0x20 }).reversed().drop(while: { $0 == 0x20 })
            guard trimmed.last == UInt8(ascii: "("), trimmed.first == UInt8(ascii: ")") else {
                return "a description is enclosed in parentheses"
            }
            return nil
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// PrintableCharacter of RFC 4517 §3.2: letters, digits, space and `'()+,-./:=?`.
    static func isPrintable(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case 0x20, 0x27, 0x28, 0x29, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x3A, 0x3D, 0x3F:
            return true
        default:
            return false
        }
    }

    static func printableViolation(_ value: [UInt8]) -> String? {
        guard let index = value.firstIndex(where: { !Self.isPrintable($0) }) else { return nil }
        return "character \(Self.describe(value, at: index)) is not allowed (letters, digits, space and '()+,-./:=? are)"
    }

    static func utf8Violation(_ value: [UInt8]) -> String? {
        if String(validating: value, as: UTF8.self) != nil { return nil }
        return "not valid UTF-8 at byte \(UnicodePreparation.firstInvalidUTF8Offset(value))"
    }

    /// A quoted character, or its hex code for bytes that do not print.
    static func describe(_ value: [UInt8], at index: Int) -> String {
        let byte = value[index]
        if byte >= 0x21 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))' at offset \(index)"
        }
        return "0x\(String(byte, radix: 16)) at offset \(index)"
    }

    /// BitString = SQUOTE *binary-digit SQUOTE "B".
    static func bitStringViolation(_ value: ArraySlice<UInt8>) -> String? {
        guard value.count >= 3, value.first == 0x27,
            value[value.endIndex - 2] == 0x27, value.last == UInt8(ascii: "B")
        else {
            return "expected the form '0101'B"
        }
        if value.dropFirst().dropLast(2).contains(where: { $0 != UInt8(ascii: "0") && $0 != UInt8(ascii: "1") }) {
            return "a bit string holds only 0 and 1"
        }
        return nil
    }

    /// NameAndOptionalUID = distinguishedName [ SHARP BitString ].
    static func nameAndOptionalUIDViolation(_ value: [UInt8]) -> String? {
        let (dn, uid) = NameAndOptionalUID.split(value)
        if let uid, let reason = Self.bitStringViolation(uid) {
            return "after '#': \(reason)"
        }
        do {
            _ = try DistinguishedName(utf8: dn)
            return nil
        } catch {
            return error.description
        }
    }
}

/// The parts of a Name and Optional UID value (`uid=a,dc=b#'0101'B`).
enum NameAndOptionalUID {
    /// Splits at the last `#` followed by a bit string; a `#` elsewhere belongs to the DN.
    static func split(_ value: [UInt8]) -> (dn: ArraySlice<UInt8>, uid: ArraySlice<UInt8>?) {
        if let sharp = value.lastIndex(of: UInt8(ascii: "#")), sharp + 1 < value.count, value[sharp + 1] == 0x27,
            value.last == UInt8(ascii: "B"), sharp == 0 || value[sharp - 1] != UInt8(ascii: "\\")
        {
            return (value[..<sharp], value[(sharp + 1)...])
        }
        return (value[...], nil)
    }
}

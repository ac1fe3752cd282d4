/// The schema-less normaliser: attribute types lower-cased (ASCII), string values compared as
/// by caseIgnoreMatch with insignificant space handling (RFC 4518 §2.6.1, simplified): white
/// space mapped to SPACE, leading and trailing spaces removed, inner runs of spaces collapsed
/// to one, and the value lower-cased. `#hex` values and values that are not UTF-8 are kept as is.
///
/// It does not apply Unicode normalisation (NFKC) or full case folding; a schema-aware
/// normaliser should.
public struct CaseIgnoreDNValueNormalizer: DNValueNormalizer, Sendable {
    /// Creates the normaliser.
    public init() {}

    /// Returns `attribute` with its type lower-cased and, for a string value, its value prepared
    /// for caseIgnoreMatch.
    public func normalize(_ attribute: AttributeTypeAndValue) -> AttributeTypeAndValue {
        var result = attribute
        result.type = Self.lowercasedASCII(attribute.type)
        if !attribute.isHexForm, let string = attribute.stringValue {
            result.value = Self.caseIgnoreValue(string)
        }
        return result
    }

    static func lowercasedASCII(_ string: String) -> String {
        guard string.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            return string
        }
        return String(
            decoding: string.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 },
            as: UTF8.self)
    }

    /// Space-normalised, lower-cased UTF-8 bytes of `string`.
    static func caseIgnoreValue(_ string: String) -> [UInt8] {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in string.unicodeScalars {
            if Self.isSpace(scalar) {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace {
                output.append(" ")
                pendingSpace = false
            }
            output.append(scalar)
        }
        return Array(String(output).lowercased().utf8)
    }

    /// SPACE and the characters RFC 4518 §2.2 maps to SPACE (controls TAB…CR, NEL, and the
    /// separators of category Zs, Zl and Zp).
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09...0x0D, 0x85:
            return true
        case 0..<0x80:
            return false
        default:
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }
}

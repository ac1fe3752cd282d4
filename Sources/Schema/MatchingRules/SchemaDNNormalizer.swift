import LDAPProtocol

/// Normalises DN components with the equality rule of their attribute type, for
/// distinguishedNameMatch and for DN keys.
///
/// Each type is mapped through `canonicalType` (e.g. `CN` and `2.5.4.3` to `cn`; by default the
/// type lower-cased) and each string value through the rule `equalityRule` gives for the type,
/// falling back to caseIgnoreMatch when it gives none. Values of string rules are stored in the
/// compact form the schema-less ``CaseIgnoreDNValueNormalizer`` uses — no leading or trailing
/// space, inner runs of spaces as one — which corresponds one-to-one with the RFC 4518 form, so
/// equality is unchanged. A `#hex` value holding a BER UTF8String, PrintableString, IA5String or
/// NumericString is decoded and normalised as a string; other `#hex` values are kept as they are.
public struct SchemaDNNormalizer: DNValueNormalizer, Sendable {
    /// The equality rule of an attribute type, or `nil` for caseIgnoreMatch.
    public let equalityRule: @Sendable (String) -> MatchingRule?
    /// The canonical spelling of an attribute type, or `nil` to lower-case it.
    public let canonicalType: @Sendable (String) -> String?

    /// Creates a normaliser from the schema's look-ups. Type names reach the closures as
    /// written in the DN.
    public init(
        equalityRule: @escaping @Sendable (String) -> MatchingRule? = { _ in nil },
        canonicalType: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.equalityRule = equalityRule
        self.canonicalType = canonicalType
    }

    /// Returns `attribute` with its type canonical and its value normalised by the type's
    /// equality rule.
    public func normalize(_ attribute: AttributeTypeAndValue) throws(MatchingError) -> AttributeTypeAndValue {
        var result = attribute
        result.type = self.canonicalType(attribute.type) ?? Self.lowercasedASCII(attribute.type)
        var value = attribute.value
        if attribute.isHexForm {
            guard let decoded = Self.decodeBERString(attribute.value) else { return result }
            value = decoded
            result.isHexForm = false
        }
        let rule = self.equalityRule(attribute.type) ?? .caseIgnoreMatch
        let normalized = try rule.normalize(value)
        if case .prepared(_, .spaces, _) = rule.normalization {
            result.value = Self.compactSpaces(normalized)
        } else {
            result.value = normalized
        }
        return result
    }

    /// The RFC 4514 bytes of the DN in `value`, normalised.
    func normalizedBytes(_ value: [UInt8], rule: String) throws(MatchingError) -> [UInt8] {
        let dn: DistinguishedName
        do {
            dn = try DistinguishedName(utf8: value)
        } catch {
            throw MatchingError(rule: rule, reason: error.description)
        }
        return try dn.normalized(using: self).utf8Bytes
    }

    /// `" a  b "` → `"a b"`: the RFC 4518 §2.6.1 form without its outer spaces and with each
    /// doubled inner space single (the prepared value of an all-space string becomes empty).
    static func compactSpaces(_ prepared: [UInt8]) -> [UInt8] {
        guard prepared.count > 2 else { return [] }
        var output: [UInt8] = []
        output.reserveCapacity(prepared.count - 2)
        var index = 1
        let end = prepared.count - 1
        while index < end {
            let byte = prepared[index]
            output.append(byte)
            // Inner spaces come in pairs; a space carrying a combining mark stays single.
            if byte == 0x20 && index + 1 < end && prepared[index + 1] == 0x20 {
                index += 2
            } else {
                index += 1
            }
        }
        return output
    }

    static func lowercasedASCII(_ string: String) -> String {
        guard string.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            return string
        }
        return String(
            decoding: string.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 },
            as: UTF8.self)
    }

    /// The contents of a primitive BER UTF8String (12), NumericString (18), PrintableString (19)
    /// or IA5String (22) that fills `bytes`, or `nil`.
    static func decodeBERString(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2, [0x0C, 0x12, 0x13, 0x16].contains(bytes[0]) else { return nil }
        var length = 0
        var offset = 2
        let first = bytes[1]
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, bytes.count >= 2 + count else { return nil }
            for index in 0..<count {
                length = length << 8 | Int(bytes[2 + index])
            }
            offset = 2 + count
        }
        guard bytes.count - offset == length else { return nil }
        return Array(bytes[offset...])
    }
}

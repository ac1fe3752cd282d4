import LDAPProtocol

extension SchemaContext {
    /// OIDs of the rules whose normalised form is an OID or a descriptor.
    private static let objectIdentifierRules: Set<String> = ["2.5.13.0", "2.5.13.30"]

    /// The normalised form of `value` under `rule`, as ``MatchingRule/normalize(_:)`` (or, for an assertion,
    /// ``MatchingRule/normalizeAssertion(_:)``) gives it, with descriptors of objectIdentifierMatch and
    /// objectIdentifierFirstComponentMatch replaced by the OID they name in the schema (object classes first
    /// for the types whose values are classes, attribute types first otherwise, then matching rules), so that
    /// `person`, `PERSON` and `2.5.6.6` normalise alike. A descriptor the schema does not know stays lower-cased.
    public func normalize(
        _ value: [UInt8],
        rule: MatchingRule,
        of type: CompiledAttributeType?,
        assertion: Bool = false
    ) throws(MatchingError) -> [UInt8] {
        try normalize(value, rule: rule, namesClasses: type?.valuesNameClasses ?? false, assertion: assertion)
    }

    func normalize(_ value: [UInt8], rule: MatchingRule, namesClasses: Bool, assertion: Bool = false)
        throws(MatchingError) -> [UInt8]
    {
        let normalized = assertion ? try rule.normalizeAssertion(value) : try rule.normalize(value)
        guard Self.objectIdentifierRules.contains(rule.oid), let first = normalized.first,
            first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")
        else {
            return normalized
        }
        return resolveDescriptor(normalized, classesFirst: namesClasses) ?? normalized
    }

    /// The OID a lower-cased descriptor names, as bytes.
    private func resolveDescriptor(_ descriptor: [UInt8], classesFirst: Bool) -> [UInt8]? {
        let name = String(decoding: descriptor, as: UTF8.self)
        let asClass = classIndex[name].map { objectClasses[$0].oid }
        let asType = attributeIndex[name].map { attributeTypes[$0].oid }
        let oid = (classesFirst ? asClass ?? asType : asType ?? asClass) ?? matchingRules[name]?.oid
        return oid.map { Array($0.utf8) }
    }

    /// The normalised values of `attribute`, in order, as storage and indexes keep them: each value normalised
    /// by the type's rule of `kind` (the equality rule by default); a type without such a rule keeps its
    /// values' octets. Duplicates are not removed (``validate(_:options:)`` refuses them).
    ///
    /// Throws undefinedAttributeType for an unknown type and invalidAttributeSyntax for a value the rule
    /// cannot normalise.
    public func normalizedValues(
        of attribute: EntryAttribute,
        kind: MatchingRule.Kind = .equality
    ) throws(EntryViolation) -> [[UInt8]] {
        guard let type = attributeType(named: attribute.description.type) else {
            throw EntryViolation.undefinedType(attribute.description.description)
        }
        let rule: MatchingRule?
        switch kind {
        case .equality: rule = type.equality
        case .ordering: rule = type.ordering
        case .substrings: rule = type.substring
        }
        guard let rule else { return attribute.values }
        var output: [[UInt8]] = []
        output.reserveCapacity(attribute.values.count)
        for (index, value) in attribute.values.enumerated() {
            do {
                output.append(try normalize(value, rule: rule, of: type))
            } catch {
                throw EntryViolation.invalidForRule(
                    attribute: attribute.description.description, index: index, value: value, error: error)
            }
        }
        return output
    }
}

extension SchemaContext {
    /// The value an RDN component asserts: its string value, or for the `#hex` form the contents of the BER
    /// primitive it encodes (RFC 4514 §2.4), or the raw bytes when they are not one.
    static func assertedValue(of component: AttributeTypeAndValue) -> [UInt8] {
        guard component.isHexForm else { return component.value }
        return SchemaDNNormalizer.decodeBERString(component.value) ?? primitiveContents(component.value)
            ?? component.value
    }

    /// The contents of a single primitive BER TLV with a one-byte tag and a definite length filling `bytes`.
    private static func primitiveContents(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2, bytes[0] & 0x20 == 0, bytes[0] & 0x1F != 0x1F else { return nil }
        var length = 0
        var offset = 2
        if bytes[1] < 0x80 {
            length = Int(bytes[1])
        } else {
            let count = Int(bytes[1] & 0x7F)
            guard count >= 1, count <= 4, bytes.count >= 2 + count else { return nil }
            for index in 0..<count { length = length << 8 | Int(bytes[2 + index]) }
            offset += count
        }
        guard bytes.count - offset == length else { return nil }
        return Array(bytes[offset...])
    }
}

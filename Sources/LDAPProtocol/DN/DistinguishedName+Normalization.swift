extension DistinguishedName {
    /// The DN with every component normalised by `normalizer` and the components of each
    /// multi-valued RDN sorted, so `cn=a+sn=b` and `SN=B+CN=A` normalise alike.
    public func normalized<Normalizer: DNValueNormalizer>(
        using normalizer: Normalizer
    ) throws(Normalizer.Failure) -> DistinguishedName {
        try self.normalized { (attribute) throws(Normalizer.Failure) in try normalizer.normalize(attribute) }
    }

    /// The DN with every component passed through `rule` and the components of each
    /// multi-valued RDN sorted.
    public func normalized<Failure: Error>(
        _ rule: (AttributeTypeAndValue) throws(Failure) -> AttributeTypeAndValue
    ) throws(Failure) -> DistinguishedName {
        var rdns: [RelativeDistinguishedName] = []
        rdns.reserveCapacity(self.rdns.count)
        for rdn in self.rdns {
            var attributes: [AttributeTypeAndValue] = []
            attributes.reserveCapacity(rdn.attributes.count)
            for attribute in rdn.attributes {
                attributes.append(try rule(attribute))
            }
            if attributes.count > 1 {
                attributes.sort(by: Self.componentOrder)
            }
            rdns.append(RelativeDistinguishedName(attributes: attributes)!)
        }
        return DistinguishedName(rdns: rdns)
    }

    /// The DN normalised with ``CaseIgnoreDNValueNormalizer`` (the schema-less default).
    public func normalized() -> DistinguishedName {
        self.normalized(using: CaseIgnoreDNValueNormalizer())
    }

    /// A byte key for an index, built from the DN as it is (normalise it first): the RDNs from
    /// the root down, each in its RFC 4514 form followed by a NUL byte (which the string form
    /// never contains). Distinct DNs get distinct keys, the root gets the empty key, and the key
    /// of an entry is a prefix of the keys of exactly its subtree, so a prefix scan lists a subtree.
    public var indexKey: [UInt8] {
        var key: [UInt8] = []
        for rdn in self.rdns.reversed() {
            rdn.write(into: &key)
            key.append(0)
        }
        return key
    }

    /// The ``indexKey`` of the ``normalized()`` DN.
    public var normalizedKey: [UInt8] {
        self.normalized().indexKey
    }

    /// Orders components by type, then string values before `#hex` values, then value bytes.
    private static func componentOrder(_ lhs: AttributeTypeAndValue, _ rhs: AttributeTypeAndValue) -> Bool {
        if lhs.type != rhs.type {
            return lhs.type.utf8.lexicographicallyPrecedes(rhs.type.utf8)
        }
        if lhs.isHexForm != rhs.isHexForm {
            return !lhs.isHexForm
        }
        return lhs.value.lexicographicallyPrecedes(rhs.value)
    }
}

/// Normalises the components of a DN according to the matching rules of their attribute types,
/// so that DNs naming the same entry get the same ``DistinguishedName/normalized(using:)`` form.
///
/// The schema provides one that looks up each type's equality rule (`cn` → caseIgnoreMatch,
/// `uid`, numeric OIDs → their descriptors, …). Without a schema, use
/// ``CaseIgnoreDNValueNormalizer``.
public protocol DNValueNormalizer {
    /// The error thrown for a value that is invalid for its attribute's syntax; `Never` when
    /// every value can be normalised.
    associatedtype Failure: Error = Never

    /// Returns the normalised form of one component: typically the type reduced to a canonical
    /// name or OID and the value prepared for the type's equality matching rule.
    func normalize(_ attribute: AttributeTypeAndValue) throws(Failure) -> AttributeTypeAndValue
}

extension DNValueNormalizer where Self == CaseIgnoreDNValueNormalizer {
    /// Lower-cased types and caseIgnoreMatch values, for use before a schema is available.
    public static var caseIgnore: CaseIgnoreDNValueNormalizer {
        CaseIgnoreDNValueNormalizer()
    }
}

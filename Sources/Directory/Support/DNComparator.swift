import LDAPProtocol
import Schema

/// Decides whether two DNs name the same entry, as the store does (each value under its type's equality rule,
/// type names and OIDs alike): the bound DN against an entry's, the root DN, `cn=Subschema`.
struct DNComparator: Sendable {
    private let normalizer: SchemaDNNormalizer

    init(context: SchemaContext) {
        normalizer = SchemaDNNormalizer(
            equalityRule: { context.attributeType(named: $0)?.equality },
            canonicalType: { context.attributeType(named: $0)?.primaryName.lowercased() })
    }

    /// The normalised key of `dn`; `nil` when a value is invalid for its type's rule.
    func key(_ dn: DistinguishedName) -> [UInt8]? {
        try? dn.normalized(using: normalizer).indexKey
    }

    /// Whether `a` and `b` name the same entry (false when either cannot be normalised).
    func same(_ a: DistinguishedName, _ b: DistinguishedName) -> Bool {
        guard a.rdns.count == b.rdns.count, let left = key(a), let right = key(b) else { return false }
        return left == right
    }
}

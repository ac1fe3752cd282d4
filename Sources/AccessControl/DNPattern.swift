import LDAPProtocol
import Schema

/// A DN with a scope (`dn.base=`, `dn.one=`, `dn.subtree=`, `dn.children=`), compared on normalised keys:
/// the key of an entry is a prefix of the keys of exactly its subtree (``DistinguishedName/indexKey``), so a
/// scope test is a prefix test and a count of RDNs.
struct DNPattern: Sendable {
    enum Scope: String, Sendable {
        case base, one, subtree, children
    }

    let scope: Scope
    let key: [UInt8]
    let depth: Int

    func matches(_ name: NormalizedName) -> Bool {
        switch scope {
        case .base: return name.depth == depth && name.key == key
        case .one: return name.depth == depth + 1 && name.key.starts(with: key)
        case .subtree: return name.depth >= depth && name.key.starts(with: key)
        case .children: return name.depth > depth && name.key.starts(with: key)
        }
    }
}

/// A DN's normalised key and its number of RDNs, computed once per entry or subject.
struct NormalizedName: Hashable, Sendable {
    let key: [UInt8]
    let depth: Int
}

/// Normalises DNs as the store does: every value under its type's equality rule, types by canonical name.
struct DNNormalizer: Sendable {
    private let normalizer: SchemaDNNormalizer

    init(context: SchemaContext) {
        normalizer = SchemaDNNormalizer(
            equalityRule: { context.attributeType(named: $0)?.equality },
            canonicalType: { context.attributeType(named: $0)?.primaryName.lowercased() })
    }

    /// `nil` when a value is invalid for its type's rule (such a DN names no entry).
    func name(_ dn: DistinguishedName) -> NormalizedName? {
        guard let normalized = try? dn.normalized(using: normalizer) else { return nil }
        return NormalizedName(key: normalized.indexKey, depth: dn.rdns.count)
    }
}

extension DNNormalizer {
    /// The name of `dn`, normalising its parent only when it differs from the last one seen.
    func name(_ dn: DistinguishedName, cache: AccessCache) -> NormalizedName? {
        guard let leaf = dn.rdn, let parent = dn.parent() else { return name(dn) }
        if cache.parent != parent {
            guard let parentName = name(parent) else { return nil }
            cache.parent = parent
            cache.parentKey = parentName.key
        }
        guard let leafName = name(DistinguishedName(rdns: [leaf])) else { return nil }
        // A key lists the RDNs from the root down: the parent's key, then the leaf's.
        return NormalizedName(key: cache.parentKey + leafName.key, depth: dn.rdns.count)
    }
}

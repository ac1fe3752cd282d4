import LDAPProtocol
import Schema

/// The `dn2id` key of a DN: the DN normalised with the schema's equality rules (``SchemaDNNormalizer``: types
/// to their canonical name, values by their type's equality rule, multi-valued RDNs sorted), as
/// ``DistinguishedName/indexKey`` (RDNs root first, each followed by NUL). DNs that name the same entry get the
/// same key, and an entry's key is a prefix of its subtree's keys.
struct DNKeyMaker: Sendable {
    let normalizer: SchemaDNNormalizer
    let maxKeySize: Int

    init(context: SchemaContext, maxKeySize: Int) {
        normalizer = SchemaDNNormalizer(
            equalityRule: { context.attributeType(named: $0)?.equality },
            canonicalType: { type in context.attributeType(named: type).map { Self.lowercased($0.primaryName) } }
        )
        self.maxKeySize = maxKeySize
    }

    /// The key of `dn`; invalidDNSyntax when a value is invalid for its type's rule, adminLimitExceeded when
    /// the key is longer than LMDB's key limit.
    func key(for dn: DistinguishedName) throws(StoreError) -> [UInt8] {
        let normalized: DistinguishedName
        do {
            normalized = try dn.normalized(using: normalizer)
        } catch {
            throw StoreError(.invalidDNSyntax, "DN '\(dn)': \(error)")
        }
        let key = normalized.indexKey
        guard key.count <= maxKeySize else {
            throw StoreError(
                .adminLimitExceeded,
                "DN '\(dn)' is \(key.count) bytes once normalised; the store accepts at most \(maxKeySize)")
        }
        return key
    }

    /// The keys of `dn` and of its parent, normalising `dn` once (the parent's normalised RDNs are the DN's
    /// without its first, so its key is ``key(for:)`` of the parent); fails as ``key(for:)`` of `dn` does.
    func keys(forEntryAndParentOf dn: DistinguishedName) throws(StoreError) -> (key: [UInt8], parentKey: [UInt8]) {
        let normalized: DistinguishedName
        do {
            normalized = try dn.normalized(using: normalizer)
        } catch {
            throw StoreError(.invalidDNSyntax, "DN '\(dn)': \(error)")
        }
        let key = normalized.indexKey
        guard key.count <= maxKeySize else {
            throw StoreError(
                .adminLimitExceeded,
                "DN '\(dn)' is \(key.count) bytes once normalised; the store accepts at most \(maxKeySize)")
        }
        return (key, (normalized.parent() ?? .root).indexKey)
    }

    private static func lowercased(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

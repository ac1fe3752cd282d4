import Foundation
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
        // The canonical names lower-cased once, rather than for every RDN normalised.
        let canonical = context.attributeTypes.map { $0.primaryName.lowercased() }
        normalizer = SchemaDNNormalizer(
            equalityRule: { context.attributeType(named: $0)?.equality },
            canonicalType: { name in context.attributeType(named: name).map { canonical[$0.id] } })
    }

    /// `nil` when a value is invalid for its type's rule (such a DN names no entry).
    func name(_ dn: DistinguishedName) -> NormalizedName? {
        guard let normalized = try? dn.normalized(using: normalizer) else { return nil }
        return NormalizedName(key: normalized.indexKey, depth: dn.rdns.count)
    }
}

/// What the DN of an entry's parent tells the rules about the entry, whoever asks: the parent's normalised
/// name, the rules whose DN pattern selects every child of that parent, and the rules that select only the
/// child of a given RDN (a `dn.base=` or `dn.subtree=` pattern naming an entry of the child's depth below the
/// parent). An entry's key is its parent's followed by its own RDN's (``DistinguishedName/indexKey``: RDNs
/// root first, each ended by a NUL the RDN never holds), so a pattern no deeper than the parent is decided by
/// the parent's key alone, and one at the child's depth by the leaf's key.
struct ParentScope: Sendable {
    /// The parent's normalised name; `nil` when a value of it is invalid (its children then have no name, and
    /// no DN pattern selects them).
    let parent: NormalizedName?
    /// Rules selecting every child of the parent as far as DNs go (those without a DN included).
    let selected: RuleMask
    /// Rules selecting the one child whose RDN key is `leaf`.
    let leafRules: [LeafRule]

    struct LeafRule: Sendable {
        let rule: Int
        let leaf: [UInt8]
    }
}

/// The ``ParentScope`` of the parents seen, shared by every search and connection of a policy: entries have few
/// distinct parents (`ou=people`…), and normalising a parent's DN costs more than the rest of an entry's
/// evaluation. Keyed by the DN exactly as written (the scope is a function of it); bounded (emptied when full),
/// behind a lock held only for a dictionary access.
final class ParentMemo: @unchecked Sendable {
    static let capacity = 1024
    private let lock = NSLock()
    private var scopes: [Key: ParentScope] = [:]

    func scope(of parent: DistinguishedName, compute: () -> ParentScope) -> ParentScope {
        let key = Key(dn: parent)
        lock.lock()
        let known = scopes[key]
        lock.unlock()
        if let known { return known }
        let scope = compute()
        lock.lock()
        if scopes.count >= Self.capacity { scopes.removeAll(keepingCapacity: true) }
        scopes[key] = scope
        lock.unlock()
        return scope
    }

    /// A DN as a dictionary key: equal exactly when the DNs are (`==`), hashed with the values' bytes in bulk
    /// (the synthesised hash feeds a byte array to the hasher one byte at a time).
    struct Key: Hashable {
        let dn: DistinguishedName

        static func == (lhs: Key, rhs: Key) -> Bool { lhs.dn == rhs.dn }

        func hash(into hasher: inout Hasher) {
            hasher.combine(dn.rdns.count)
            for rdn in dn.rdns {
                hasher.combine(rdn.attributes.count)
                for component in rdn.attributes {
                    hasher.combine(component.type)
                    hasher.combine(component.value.count)
                    component.value.withUnsafeBytes { hasher.combine(bytes: $0) }
                    hasher.combine(component.isHexForm)
                }
            }
        }
    }
}

extension DNNormalizer {
    /// The key of `rdn` alone (its part of the key of any DN it starts); `nil` when a value is invalid.
    func key(of rdn: RelativeDistinguishedName) -> [UInt8]? {
        name(DistinguishedName(rdns: [rdn]))?.key
    }

    /// Whether every value of `rdn` is valid for its type's rule (``key(of:)`` is not `nil`), without writing
    /// the key.
    func isValid(_ rdn: RelativeDistinguishedName) -> Bool {
        (try? DistinguishedName(rdns: [rdn]).normalized(using: normalizer)) != nil
    }
}

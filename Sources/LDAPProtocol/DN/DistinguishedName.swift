/// A distinguished name (RFC 4512 §2.3, string form RFC 4514): a sequence of relative
/// distinguished names, leaf first as in its string form (`cn=Babs,ou=People,dc=example,dc=com`).
///
/// Equality is structural: it compares types and values as written. Compare and index the
/// ``normalized()`` form (or ``normalizedKey``) to match DNs the way a directory does.
public struct DistinguishedName: Hashable, Sendable {
    /// The RDNs, leaf first; empty for the root DN.
    public var rdns: [RelativeDistinguishedName]

    /// Creates a DN from its RDNs, leaf first.
    public init(rdns: [RelativeDistinguishedName]) {
        self.rdns = rdns
    }

    /// The root DN (the empty DN, naming the root DSE).
    public static let root = DistinguishedName(rdns: [])

    /// Whether this is the root (empty) DN.
    public var isRoot: Bool {
        self.rdns.isEmpty
    }

    /// The leaf-most RDN; `nil` for the root DN.
    public var rdn: RelativeDistinguishedName? {
        self.rdns.first
    }

    /// The immediate superior (`ou=People,dc=example` for `cn=Babs,ou=People,dc=example`);
    /// `nil` for the root DN. A DN of one RDN has the root as its parent.
    public func parent() -> DistinguishedName? {
        guard !self.rdns.isEmpty else { return nil }
        return DistinguishedName(rdns: Array(self.rdns.dropFirst()))
    }

    /// The DN of a child of this entry: `rdn` followed by this DN.
    public func child(_ rdn: RelativeDistinguishedName) -> DistinguishedName {
        var rdns: [RelativeDistinguishedName] = []
        rdns.reserveCapacity(self.rdns.count + 1)
        rdns.append(rdn)
        rdns.append(contentsOf: self.rdns)
        return DistinguishedName(rdns: rdns)
    }

    /// The DN of a child of this entry named `type=value`.
    public func child(type: String, value: String) -> DistinguishedName {
        self.child(RelativeDistinguishedName(type: type, value: value))
    }

    /// This DN followed by the RDNs of `suffix`, as string concatenation with a comma would
    /// give: `cn=Babs` appending `dc=example,dc=com` is `cn=Babs,dc=example,dc=com`.
    public func appending(_ suffix: DistinguishedName) -> DistinguishedName {
        DistinguishedName(rdns: self.rdns + suffix.rdns)
    }

    /// Whether this DN names an entry below `ancestor` (any number of levels), comparing RDNs
    /// structurally; with `includingSelf`, a DN is also its own descendant (subtree scope).
    /// Every DN but the root is a descendant of the root.
    public func isDescendant(of ancestor: DistinguishedName, includingSelf: Bool = false) -> Bool {
        let extra = self.rdns.count - ancestor.rdns.count
        guard extra > 0 || (includingSelf && extra == 0) else { return false }
        return self.rdns[extra...].elementsEqual(ancestor.rdns)
    }

    /// Whether this DN names an immediate child of `parent` (one-level scope).
    public func isChild(of parent: DistinguishedName) -> Bool {
        self.rdns.count == parent.rdns.count + 1 && self.rdns.dropFirst().elementsEqual(parent.rdns)
    }

    /// This DN with its ancestor `oldSuffix` replaced by `newSuffix` (the rename of a subtree
    /// by a ModifyDN with a new superior); `nil` when `oldSuffix` is not this DN or an ancestor.
    public func replacingSuffix(_ oldSuffix: DistinguishedName, with newSuffix: DistinguishedName) -> DistinguishedName?
    {
        guard self.isDescendant(of: oldSuffix, includingSelf: true) else { return nil }
        return DistinguishedName(rdns: Array(self.rdns.prefix(self.rdns.count - oldSuffix.rdns.count)) + newSuffix.rdns)
    }
}

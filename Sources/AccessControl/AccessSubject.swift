import LDAPProtocol

/// Who is asking, as the rules need to know it: built once per bind (``AccessPolicy/subject(boundAs:entry:lookup:)``)
/// and kept with the connection, so that evaluating a rule never reads the database. It holds the bound DN's
/// normalised key (for `self` and `dn=`), the groups of the policy it belongs to, the `filter=` subjects its
/// entry matches, and its normalised values for each `match=` subject.
public struct AccessSubject: Sendable {
    /// The bound DN; `nil` when anonymous.
    public let dn: DistinguishedName?
    /// Whether this is the directory manager, who bypasses every rule.
    public let isRoot: Bool
    let name: NormalizedName?
    let groups: Set<Int>
    let filters: Set<Int>
    let matchValues: [Int: Set<[UInt8]>]

    init(
        dn: DistinguishedName?, isRoot: Bool, name: NormalizedName?, groups: Set<Int> = [],
        filters: Set<Int> = [], matchValues: [Int: Set<[UInt8]>] = [:]
    ) {
        self.dn = dn
        self.isRoot = isRoot
        self.name = name
        self.groups = groups
        self.filters = filters
        self.matchValues = matchValues
    }

    /// Not bound.
    public static let anonymous = AccessSubject(dn: nil, isRoot: false, name: nil)

    /// The directory manager (`root-dn`): every check passes.
    public static func root(_ dn: DistinguishedName) -> AccessSubject {
        AccessSubject(dn: dn, isRoot: true, name: nil)
    }

    /// Whether this subject was built for `dn` with root status `isRoot` (a connection's cached subject is
    /// used only while it still describes the connection's identity).
    public func describes(dn: DistinguishedName?, isRoot: Bool) -> Bool {
        self.dn == dn && self.isRoot == isRoot
    }
}

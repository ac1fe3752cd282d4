import LDAPProtocol

/// What a caller that checks many entries in a row for one subject (a search) may remember between them, to
/// keep the cost per entry small (issue 5, point 6). Every answer it keeps is a function of inputs that are
/// equal when it is reused:
/// - the last parent DN seen (compared RDN by RDN), with its ``ParentScope`` and the subject's place below it:
///   siblings then cost the normalisation of their own RDN only;
/// - the last RDN normalised and its key (a search first checks its base, then reads it again);
/// - the decisions per attribute, by *signature* (the rules that select the entry, whether it is the subject's
///   own, which `match=` subjects hold): entries of the same signature get the same answers, so each attribute
///   is decided once per signature rather than once per entry;
/// - for each `match=` subject, whether a target value (its bytes as stored) is one the subject holds.
///
/// Not `Sendable`: one search, one thread. Make one per search, for **one subject and one policy**: what it
/// keeps depends on both.
public final class AccessCache {
    private var parentRDNs: [RelativeDistinguishedName]?
    private var scope: ParentScope?
    private var selfLeaf: [UInt8]?
    private var leaf: RelativeDistinguishedName?
    private var leafKey: [UInt8]?
    private var leafValid = false
    /// `nil` for a signature seen once.
    private var tables: [AccessSignature: AccessDecisionTable?] = [:]
    private var lastSignature: AccessSignature?
    private var lastTable: AccessDecisionTable?
    private var matchResults: [[[UInt8]: Bool]] = []

    /// Values remembered per `match=` subject before the memo is emptied (a search over a whole tree sees
    /// many; their answers are cheap to recompute).
    static let matchCapacity = 4096

    /// An empty cache.
    public init() {}

    /// The scope of the parent of `dn` (which has a parent), and the leaf the subject's own entry has there.
    func scope(
        of dn: DistinguishedName, policy: AccessPolicy, subject: AccessSubject
    ) -> (scope: ParentScope, selfLeaf: [UInt8]?) {
        let parent = dn.rdns.dropFirst()
        if let scope, let parentRDNs, parentRDNs.count == parent.count, parentRDNs.elementsEqual(parent) {
            return (scope, selfLeaf)
        }
        let rdns = Array(parent)
        let scope = policy.scope(ofParent: DistinguishedName(rdns: rdns))
        let selfLeaf = policy.selfLeaf(of: subject, in: scope)
        self.parentRDNs = rdns
        self.scope = scope
        self.selfLeaf = selfLeaf
        return (scope, selfLeaf)
    }

    /// Whether `rdn` normalises and, when `needsKey`, its key (``DNNormalizer/key(of:)``); reused when it is
    /// the last RDN asked about.
    func leaf(
        _ rdn: RelativeDistinguishedName, needsKey: Bool, normalizer: DNNormalizer
    ) -> (key: [UInt8]?, valid: Bool) {
        if let leaf, leaf == rdn, !needsKey || leafKey != nil || !leafValid { return (leafKey, leafValid) }
        if needsKey {
            leafKey = normalizer.key(of: rdn)
            leafValid = leafKey != nil
        } else {
            leafKey = nil
            leafValid = normalizer.isValid(rdn)
        }
        leaf = rdn
        return (leafKey, leafValid)
    }

    /// The table of `signature`; `nil` the first time the signature is seen (`typeCount`: the attribute types
    /// of the policy's schema). A table pays off from the second entry of a signature on: a search returning
    /// one entry (the most common) decides directly rather than filling a table it will not use again.
    func table(_ signature: AccessSignature, typeCount: Int) -> AccessDecisionTable? {
        if let lastTable, lastSignature == signature { return lastTable }
        guard let known = tables[signature] else {
            tables[signature] = .some(nil)
            return nil
        }
        let table = known ?? AccessDecisionTable(typeCount: typeCount)
        if known == nil { tables[signature] = table }
        lastSignature = signature
        lastTable = table
        return table
    }

    /// Whether the subject holds `value` for the `match=` subject `index`, when already computed.
    func matchResult(_ index: Int, _ value: [UInt8]) -> Bool? {
        index < matchResults.count ? matchResults[index][value] : nil
    }

    func remember(_ index: Int, _ value: [UInt8], _ holds: Bool) {
        if index >= matchResults.count {
            matchResults += [[[UInt8]: Bool]](repeating: [:], count: index + 1 - matchResults.count)
        }
        if matchResults[index].count >= Self.matchCapacity { matchResults[index].removeAll(keepingCapacity: true) }
        matchResults[index][value] = holds
    }
}

/// Everything an entry's decisions depend on besides the subject and the attribute.
struct AccessSignature: Hashable {
    let candidates: RuleMask
    let isSelf: Bool
    /// The `match=` subjects (indices) that hold for the entry.
    let matched: RuleMask
}

/// The decisions made so far for one signature: privileges' raw values, -1 for not decided yet.
final class AccessDecisionTable {
    // Unchecked exclusivity: a table belongs to one cache, used by one search on one thread, and is never
    // accessed re-entrantly (the check costs as much as the look-up it guards).
    /// By attribute type id.
    @exclusivity(unchecked) var types: [Int32]
    @exclusivity(unchecked) var entry: Int32 = -1
    @exclusivity(unchecked) var children: Int32 = -1

    init(typeCount: Int) {
        types = [Int32](repeating: -1, count: typeCount)
    }
}

import LDAPProtocol

/// What a caller that checks many entries in a row for one subject (a search) may remember between them, to
/// keep the cost per entry small (issue 5, point 6):
/// - the last parent DN normalised: siblings then cost the normalisation of their own RDN only;
/// - the decisions per attribute, by *signature* (the rules that select the entry, whether it is the subject's
///   own, which `match=` subjects hold): entries with the same signature get the same answers, so each
///   attribute is decided once per signature rather than once per entry.
///
/// Not `Sendable`: one search, one thread. Make one per search, for one subject and one policy.
public final class AccessCache {
    var parent: DistinguishedName?
    var parentKey: [UInt8] = []
    var tables: [AccessSignature: AccessDecisionTable] = [:]

    /// An empty cache.
    public init() {}

    /// The table of `signature`, made on first use.
    func table(_ signature: AccessSignature) -> AccessDecisionTable {
        if let table = tables[signature] { return table }
        let table = AccessDecisionTable()
        tables[signature] = table
        return table
    }
}

/// Everything an entry's decisions depend on besides the subject and the attribute.
struct AccessSignature: Hashable {
    let candidates: [Int]
    let isSelf: Bool
    /// The `match=` subjects that hold for the entry, in order.
    let matched: [Int]
}

/// The decisions made so far for one signature.
final class AccessDecisionTable {
    var types: [Int: AccessPrivileges] = [:]
    var entry: AccessPrivileges?
    var children: AccessPrivileges?
}

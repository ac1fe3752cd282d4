/// A kind of attribute index: what filter components it answers.
enum IndexKind: String, CaseIterable, Hashable, Sendable, Comparable {
    /// Equality (`(uid=jdupont)`), through the attribute's EQUALITY rule.
    case equality = "eq"
    /// Presence (`(mail=*)`).
    case presence = "pres"
    /// Substrings (`(cn=*dup*)`), through the attribute's SUBSTR rule.
    case substring = "sub"
    /// Ordering (`(createTimestamp>=…)`), through the attribute's ORDERING rule.
    case ordering = "ord"

    /// The kind named `name`, in any case: `eq`, `pres`, `sub`, `ord`, or the long forms `equality`,
    /// `presence`, `substring(s)`, `ordering`.
    init?(name: String) {
        switch name.lowercased() {
        case "eq", "equality": self = .equality
        case "pres", "presence": self = .presence
        case "sub", "substr", "substring", "substrings": self = .substring
        case "ord", "ordering": self = .ordering
        default: return nil
        }
    }

    static func < (lhs: IndexKind, rhs: IndexKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

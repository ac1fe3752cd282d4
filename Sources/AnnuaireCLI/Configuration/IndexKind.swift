import Storage

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

    /// Position in the canonical order `eq`, `pres`, `sub`, `ord`.
    private var rank: Int {
        switch self {
        case .equality: 0
        case .presence: 1
        case .substring: 2
        case .ordering: 3
        }
    }

    static func < (lhs: IndexKind, rhs: IndexKind) -> Bool { lhs.rank < rhs.rank }

    /// The storage module's option set for these kinds.
    var storageKinds: IndexKinds {
        switch self {
        case .equality: .equality
        case .presence: .presence
        case .substring: .substring
        case .ordering: .ordering
        }
    }

    /// The kinds present in a storage option set.
    static func kinds(of storage: IndexKinds) -> Set<IndexKind> {
        Set(allCases.filter { storage.contains($0.storageKinds) })
    }
}

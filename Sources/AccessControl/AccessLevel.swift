/// An access level of a `by` clause, from `none` to `manage`. Each level is a set of ``AccessPrivileges``;
/// levels nest as an administrator expects from OpenLDAP (disclose ⊂ auth ⊂ compare ⊂ search ⊂ read), and
/// the write side adds to reading: `add` and `delete` each include `read`, `write` is both, `manage` is all.
public enum AccessLevel: String, CaseIterable, Hashable, Sendable {
    case none
    case disclose
    case auth
    case compare
    case search
    case read
    case add
    case delete
    case write
    case manage

    /// The privileges the level grants.
    public var privileges: AccessPrivileges {
        switch self {
        case .none: return []
        case .disclose: return [.disclose]
        case .auth: return [.disclose, .auth]
        case .compare: return AccessLevel.auth.privileges.union(.compare)
        case .search: return AccessLevel.compare.privileges.union(.search)
        case .read: return AccessLevel.search.privileges.union(.read)
        case .add: return AccessLevel.read.privileges.union(.add)
        case .delete: return AccessLevel.read.privileges.union(.delete)
        case .write: return AccessLevel.read.privileges.union(.write)
        case .manage: return AccessPrivileges(rawValue: UInt16.max)
        }
    }
}

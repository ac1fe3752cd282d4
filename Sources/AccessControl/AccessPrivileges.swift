/// The elementary rights a level grants. Checks ask for privileges, not levels, so that the absolute
/// `userPassword` rule can take some away from a level (``AccessPolicy``).
public struct AccessPrivileges: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Knowing that the entry exists: an error may name it (noSuchObject otherwise).
    public static let disclose = AccessPrivileges(rawValue: 1 << 0)
    /// Using the attribute to authenticate (a Bind's password check).
    public static let auth = AccessPrivileges(rawValue: 1 << 1)
    /// Comparing a value.
    public static let compare = AccessPrivileges(rawValue: 1 << 2)
    /// Using the attribute in a search filter.
    public static let search = AccessPrivileges(rawValue: 1 << 3)
    /// Reading the values (or, on `entry`, returning the entry).
    public static let read = AccessPrivileges(rawValue: 1 << 4)
    /// Adding values (or, on `entry`/`children`, adding the entry / an entry below).
    public static let add = AccessPrivileges(rawValue: 1 << 5)
    /// Deleting values (or, on `entry`/`children`, deleting the entry / an entry below).
    public static let delete = AccessPrivileges(rawValue: 1 << 6)
    /// Everything, including what a future privilege will be.
    public static let manage = AccessPrivileges(rawValue: 1 << 7)

    /// Adding and deleting: replacing values, renaming an entry, changing a password.
    public static let write: AccessPrivileges = [.add, .delete]
    /// The privileges that reveal a value, withheld on `userPassword` from everyone but the root DN.
    public static let revealing: AccessPrivileges = [.compare, .search, .read]

    public var description: String {
        let names: [(AccessPrivileges, String)] = [
            (.disclose, "disclose"), (.auth, "auth"), (.compare, "compare"), (.search, "search"), (.read, "read"),
            (.add, "add"), (.delete, "delete"), (.manage, "manage"),
        ]
        let present = names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "none" : present.joined(separator: ",")
    }
}

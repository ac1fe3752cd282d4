/// One account of the generated directory with its password in clear, as the `--credentials` file lists it
/// for load generators and tests: `identifier<TAB>dn<TAB>password<TAB>role`.
public struct CredentialLine: Hashable, Sendable {
    /// What the account is in the generated directory.
    public enum Role: String, Hashable, Sendable, CaseIterable {
        /// A person attached to structures as a simple user.
        case person
        /// A person who is the principal manager of at least one structure.
        case principalManager = "principal-manager"
        /// A person who is a secondary manager of at least one structure and principal of none.
        case secondaryManager = "secondary-manager"
        /// A dematerialisation correspondent (`ou=admins`).
        case correspondent
        /// The monitoring service account.
        case monitor
        /// The portal front end's service account.
        case portal
    }

    /// The sign-in identifier (`aspasieIdentifier`, or `uid` for service accounts).
    public var identifier: String
    /// The entry's DN.
    public var dn: String
    /// The password in clear.
    public var password: String
    /// The account's role.
    public var role: Role

    /// Creates a line.
    public init(identifier: String, dn: String, password: String, role: Role) {
        self.identifier = identifier
        self.dn = dn
        self.password = password
        self.role = role
    }

    /// The line as written in the file, without its line feed.
    public var text: String {
        "\(identifier)\t\(dn)\t\(password)\t\(role.rawValue)"
    }

    /// Parses a line of the file (without its line feed); `nil` unless it has four tab-separated fields and a
    /// known role.
    public init?(text: String) {
        let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 4, let role = Role(rawValue: String(fields[3])) else { return nil }
        self.init(identifier: String(fields[0]), dn: String(fields[1]), password: String(fields[2]), role: role)
    }
}

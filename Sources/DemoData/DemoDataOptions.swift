/// What `annuaire demo-data` is asked to generate.
public struct DemoDataOptions: Sendable {
    /// The naming context of the server, used when none is given.
    public static let defaultSuffix = "dc=dgfip,dc=finances,dc=gouv,dc=fr"

    /// How many people (entries under `ou=people`) to generate; correspondents and service accounts come on top.
    public var people: Int
    /// The seed of the generator: one seed always gives the same bytes.
    public var seed: UInt64
    /// The naming context the tree is generated under.
    public var suffix: String
    /// How passwords are written into `userPassword`.
    public var passwordScheme: PasswordScheme
    /// The `o` of the suffix entry.
    public var organizationName: String

    /// Creates options; by default the server's default suffix and `{SSHA}` passwords.
    public init(
        people: Int,
        seed: UInt64 = 1,
        suffix: String = DemoDataOptions.defaultSuffix,
        passwordScheme: PasswordScheme = .ssha,
        organizationName: String = "Direction générale des Finances publiques"
    ) {
        self.people = people
        self.seed = seed
        self.suffix = suffix
        self.passwordScheme = passwordScheme
        self.organizationName = organizationName
    }

    /// A seed for runs that give none (`--seed` absent): from the system's random source. Print it so the run can
    /// be repeated.
    public static func randomSeed() -> UInt64 {
        var system = SystemRandomNumberGenerator()
        return system.next()
    }
}

import AccessControl
import DomainRules
import LDAPProtocol

/// What the directory needs to know beyond its store: who the directory manager is, the server's limits and
/// policy, and what the root DSE says about the server.
package struct DirectoryConfiguration: Sendable {
    /// The naming contexts published in the root DSE (`namingContexts`); normally the store's.
    package var namingContexts: [DistinguishedName]
    /// The directory manager (`root-dn`), who is not stored in the tree; `nil` for none.
    package var rootDN: DistinguishedName?
    /// The directory manager's password: cleartext or a `{SCHEME}` value (see ``PasswordVerifier``;
    /// `annuaire hash-password` makes one); `nil` (or empty) refuses every bind as the root DN.
    package var rootPassword: String?
    /// The server's size limit (entries per search); 0 for none. The root DN is not limited (OpenLDAP's rootdn).
    package var sizeLimit: Int
    /// The server's time limit in seconds per search; 0 for none. The root DN is not limited.
    package var timeLimit: Int
    /// Whether a simple bind with a password over a connection that is neither TLS nor loopback is refused
    /// with confidentialityRequired (RFC 4513 §5.1.3 leaves it to the server; the password would cross the
    /// network in clear).
    package var refusesCleartextPasswordBinds: Bool
    /// `vendorName` of the root DSE (RFC 3045).
    package var vendorName: String
    /// `vendorVersion` of the root DSE.
    package var vendorVersion: String
    /// How many paged searches (RFC 2696) one connection may keep open; the oldest is forgotten beyond it.
    package var maximumPagedSearchesPerConnection: Int
    /// Where the time comes from (timestamps, CSNs, time limits); tests inject a manual one.
    package var clock: DirectoryClock
    /// The access-control rules (docs/access-control.md), compiled at start-up; `nil` turns access control off
    /// (everyone may do everything, except read, search or compare `userPassword`, which only the root DN may).
    package var accessPolicy: AccessPolicy?
    /// How a bind name that is a bare sign-in identifier finds its entry (domain.md D1); ``BindIdentifierMapping/off``
    /// by default, so a library user gets slapd's DN-only binds unless it asks.
    package var bindIdentifierMapping: BindIdentifierMapping
    /// Where every write, done or refused, is recorded (docs/audit.md); `nil` records nothing. The sink is
    /// opened by whoever makes the configuration, so a bad path fails at start-up, not on the first write.
    package var auditLog: AuditLog?
    /// How received passwords are stored: scheme and costs, re-hash on bind, pre-hashed values from users
    /// (docs/passwords.md). Defaults: `{ARGON2}` (argon2id m=19456 KiB, t=2, p=1), re-hash on, user hashes
    /// refused.
    package var passwordStorage: PasswordStorage
    /// The password policy's server-wide settings (docs/password-policy.md): default `pwdPolicy` entry (none by
    /// default), clients trusted with accountLocked, quality rules, the D8 quiet period after a `mail` change.
    package var passwordPolicy: PasswordPolicySettings
    /// The self-service password reset by SMS code (docs/password-reset.md); `nil` (the default) turns its two
    /// extended operations off.
    package var selfServiceReset: SelfServiceResetSettings?
    /// The partner directory's rules D1–D4, D9–D13 (docs/domain-rules.md): on by default, for every client.
    package var domainRules = DomainRuleSettings()

    /// Makes a configuration; everything but the naming contexts has a default.
    package init(
        namingContexts: [DistinguishedName],
        rootDN: DistinguishedName? = nil,
        rootPassword: String? = nil,
        sizeLimit: Int = 500,
        timeLimit: Int = 3600,
        refusesCleartextPasswordBinds: Bool = true,
        vendorName: String = "Annuaire",
        vendorVersion: String = "0.1.0",
        maximumPagedSearchesPerConnection: Int = 8,
        clock: DirectoryClock = .system,
        bindIdentifierMapping: BindIdentifierMapping = .off,
        auditLog: AuditLog? = nil,
        accessPolicy: AccessPolicy? = nil,
        passwordStorage: PasswordStorage = PasswordStorage(),
        passwordPolicy: PasswordPolicySettings = PasswordPolicySettings()
    ) {
        self.namingContexts = namingContexts
        self.rootDN = rootDN
        self.rootPassword = rootPassword
        self.sizeLimit = sizeLimit
        self.timeLimit = timeLimit
        self.refusesCleartextPasswordBinds = refusesCleartextPasswordBinds
        self.vendorName = vendorName
        self.vendorVersion = vendorVersion
        self.maximumPagedSearchesPerConnection = maximumPagedSearchesPerConnection
        self.clock = clock
        self.bindIdentifierMapping = bindIdentifierMapping
        self.auditLog = auditLog
        self.accessPolicy = accessPolicy
        self.passwordStorage = passwordStorage
        self.passwordPolicy = passwordPolicy
    }
}

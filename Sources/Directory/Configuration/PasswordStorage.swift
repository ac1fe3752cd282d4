import PasswordHashing

/// How the directory stores the passwords it receives (docs/passwords.md): the scheme and costs of new values,
/// whether binds upgrade older values, and who may send a value that is already hashed.
package struct PasswordStorage: Hashable, Sendable {
    /// The scheme of every password received in clear (Add, Modify, Password Modify) and of re-hashed values:
    /// ``PasswordScheme/argon2`` by default.
    package var scheme: PasswordScheme
    /// The costs of new `{ARGON2}` values.
    package var argon2: Argon2Parameters
    /// The rounds of new `{PBKDF2-…}` values, when that is the scheme.
    package var pbkdf2Rounds: Int
    /// Whether a successful bind whose stored value is in another scheme, or has other costs, replaces it by a
    /// new value in ``scheme`` (one small write; a failure is logged and the bind still succeeds). On by default:
    /// values imported from OpenLDAP (`{SSHA}`) move to Argon2 as people sign in.
    package var rehashOnBind: Bool
    /// Whether a user other than the root DN may send a `{SCHEME}` value (stored as it is). Off by default, as
    /// slapd's ppolicy with pwdCheckQuality 2: a hash sent by a user escapes every quality rule, and an
    /// `{SSHA}` chosen by a client could downgrade the storage. The root DN always may (migrations).
    package var acceptsPrehashedFromUsers: Bool

    /// Makes a setting; the defaults are the recommended ones.
    package init(
        scheme: PasswordScheme = .argon2,
        argon2: Argon2Parameters = .default,
        pbkdf2Rounds: Int = 600_000,
        rehashOnBind: Bool = true,
        acceptsPrehashedFromUsers: Bool = false
    ) {
        self.scheme = scheme
        self.argon2 = argon2
        self.pbkdf2Rounds = pbkdf2Rounds
        self.rehashOnBind = rehashOnBind
        self.acceptsPrehashedFromUsers = acceptsPrehashedFromUsers
    }

    /// The hasher with these costs (the module's type: the directory's own ``PasswordHasher`` is the storing policy).
    package var hasher: PasswordHashing.PasswordHasher {
        PasswordHashing.PasswordHasher(argon2: argon2, pbkdf2Rounds: pbkdf2Rounds)
    }

    /// invalidParameter when a cost is out of range; call it when loading the configuration (exit 78).
    package func validate() throws(PasswordHashingError) {
        try hasher.validate()
    }
}

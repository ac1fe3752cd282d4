/// A way of storing a password in `userPassword`, named by the `{SCHEME}` prefix OpenLDAP writes.
///
/// ``argon2`` is the one new passwords get by default; the others are verified so that values imported from
/// OpenLDAP (slapcat) keep working until they are re-hashed (docs/passwords.md).
package enum PasswordScheme: String, CaseIterable, Sendable, CustomStringConvertible {
    /// `{ARGON2}$argon2id$v=19$m=…,t=…,p=…$salt$hash`: OpenLDAP's argon2 module (PHC string format).
    case argon2
    /// `{SSHA}`: base64(SHA-1(password + salt) + salt), RFC 2307 style; OpenLDAP's default.
    case ssha
    /// `{SHA}`: base64(SHA-1(password)), unsalted.
    case sha
    /// `{SSHA256}`: as ``ssha`` with SHA-256 (OpenLDAP's pw-sha2 module).
    case ssha256
    /// `{SSHA512}`: as ``ssha`` with SHA-512 (OpenLDAP's pw-sha2 module).
    case ssha512
    /// `{PBKDF2-SHA256}rounds$salt$hash` in adapted base64 (OpenLDAP's contrib pw-pbkdf2).
    case pbkdf2Sha256
    /// `{PBKDF2-SHA512}rounds$salt$hash` in adapted base64 (OpenLDAP's contrib pw-pbkdf2).
    case pbkdf2Sha512
    /// `{CRYPT}$5$…` or `{CRYPT}$6$…`: SHA-crypt (Drepper), through libxcrypt; other crypt(3) methods are not
    /// accepted.
    case crypt
    /// A value without a `{SCHEME}` prefix, compared as it is (test data, the configured root password).
    case cleartext

    /// The prefix of stored values, e.g. `{ARGON2}`; empty for ``cleartext``.
    package var prefix: String {
        switch self {
        case .cleartext: ""
        default: "{\(label)}"
        }
    }

    /// The upper-case name between the braces (`PBKDF2-SHA256`).
    package var label: String {
        switch self {
        case .argon2: "ARGON2"
        case .ssha: "SSHA"
        case .sha: "SHA"
        case .ssha256: "SSHA256"
        case .ssha512: "SSHA512"
        case .pbkdf2Sha256: "PBKDF2-SHA256"
        case .pbkdf2Sha512: "PBKDF2-SHA512"
        case .crypt: "CRYPT"
        case .cleartext: "CLEARTEXT"
        }
    }

    /// The lower-case name used in configuration and flags (`argon2`, `pbkdf2-sha256`, `cleartext`).
    package var description: String { label.lowercased() }

    /// The scheme a configuration value or flag names, case-insensitively, with or without braces
    /// (`argon2`, `{SSHA}`, `pbkdf2-sha512`); `nil` for an unknown name.
    package init?(name: String) {
        var text = Substring(name)
        if text.hasPrefix("{"), text.hasSuffix("}"), text.count > 2 { text = text.dropFirst().dropLast() }
        let wanted = text.uppercased()
        guard let scheme = Self.allCases.first(where: { $0.label == wanted }) else { return nil }
        self = scheme
    }

    /// The scheme of a `{SCHEME}` label found in a stored value (upper-cased by the caller); `nil` when unknown.
    /// ``cleartext`` is never a label: a stored value reads as cleartext only for having no prefix.
    init?(storedLabel: String) {
        guard let scheme = Self.allCases.first(where: { $0.label == storedLabel }), scheme != .cleartext else {
            return nil
        }
        self = scheme
    }
}

/// How a generated password is written into the `userPassword` of the LDIF.
public enum PasswordScheme: String, Sendable, CaseIterable {
    /// `{SSHA}` followed by base64(SHA-1(password + salt) + salt), with an 8-byte salt: what OpenLDAP's
    /// `slappasswd` writes by default and every LDAP server reads.
    case ssha = "SSHA"
    /// The password itself, without a scheme prefix (OpenLDAP's plain text; `{CLEARTEXT}` on the command line).
    case cleartext = "CLEARTEXT"

    /// The length of the salt the `{SSHA}` values get.
    public static let saltLength = 8

    /// The scheme a command line names: `SSHA`, `{SSHA}`, `CLEARTEXT`, `{CLEARTEXT}` or `plain`, in any case;
    /// `nil` for anything else.
    public init?(name: String) {
        var text = name.uppercased()
        if text.hasPrefix("{"), text.hasSuffix("}") {
            text = String(text.dropFirst().dropLast())
        }
        switch text {
        case "SSHA": self = .ssha
        case "CLEARTEXT", "PLAIN": self = .cleartext
        default: return nil
        }
    }

    /// The `userPassword` value for `password`; `salt` is used by `{SSHA}` only.
    public func encode(_ password: String, salt: [UInt8]) -> String {
        switch self {
        case .ssha:
            let digest = SHA1.hash(Array(password.utf8) + salt)
            return "{SSHA}" + Base64.encode(digest + salt)
        case .cleartext:
            return password
        }
    }

    /// Whether `stored`, a `userPassword` value written by ``encode(_:salt:)``, is the value of `password`.
    ///
    /// `{SSHA}` and `{SHA}` values are checked by hashing; a value without a `{SCHEME}` prefix is compared as
    /// plain text; any other scheme gives `false`.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let upper = stored.prefix(6).uppercased()
        if upper == "{SSHA}" {
            guard let decoded = Base64.decode(String(stored.dropFirst(6))), decoded.count > 20 else { return false }
            let salt = Array(decoded[20...])
            return SHA1.hash(Array(password.utf8) + salt) == Array(decoded[0..<20])
        }
        if stored.prefix(5).uppercased() == "{SHA}" {
            guard let decoded = Base64.decode(String(stored.dropFirst(5))), decoded.count == 20 else { return false }
            return SHA1.hash(Array(password.utf8)) == decoded
        }
        if stored.hasPrefix("{") {
            return false
        }
        return stored == password
    }
}

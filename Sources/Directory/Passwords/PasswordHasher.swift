import LDAPProtocol
import PasswordHashing

/// The directory's side of password storage: the value stored for a password a client sent (hashed with
/// ``DirectoryConfiguration/passwordStorage``, or refused when it is already a hash and the sender may not
/// send one), and passwords generated for Password Modify. The hashing itself is the `PasswordHashing`
/// module's.
enum PasswordHasher {
    /// The value to store for `value`, received in a userPassword (or subtype) add or replace, or as Password
    /// Modify's new password: a `{SCHEME}` value is kept as it is when `mayStorePrehashed`, refused otherwise
    /// (constraintViolation, the result slapd's ppolicy gives with pwdCheckQuality 2); anything else is hashed
    /// with the configured scheme.
    static func stored(
        _ value: [UInt8], storage: PasswordStorage, mayStorePrehashed: Bool
    ) throws(OperationError) -> [UInt8] {
        if PasswordHashing.PasswordHasher.isPrehashed(value) {
            guard mayStorePrehashed else {
                throw OperationError(
                    .constraintViolation,
                    "pre-hashed passwords are not accepted: send the password itself (over TLS); the server hashes it")
            }
            return value
        }
        do {
            return Array(try storage.hasher.hash(value, scheme: storage.scheme).utf8)
        } catch {
            throw OperationError(.constraintViolation, "the password cannot be stored: \(error)")
        }
    }

    /// A password for Password Modify without newPasswd (RFC 3062 §3: the server generates one): 16 characters
    /// from an alphabet without look-alikes (about 92 bits), from the system's CSPRNG.
    static func generatedPassword() -> [UInt8] {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
    }
}

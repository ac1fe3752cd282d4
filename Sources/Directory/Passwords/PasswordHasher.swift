import Crypto
import Foundation

/// Makes the stored form of a new password (Password Modify): `{SSHA}` with an 8-byte random salt for now,
/// as OpenLDAP does by default; the password-hashing issue brings argon2.
enum PasswordHasher {
    /// `{SSHA}` + base64(SHA-1(password + salt) + salt).
    static func ssha(_ password: [UInt8], salt: [UInt8] = randomBytes(8)) -> [UInt8] {
        let digest = Array(Insecure.SHA1.hash(data: password + salt))
        return Array(("{SSHA}" + Data(digest + salt).base64EncodedString()).utf8)
    }

    /// `count` bytes from the system's random source.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A password for Password Modify without newPasswd (RFC 3062 §3: the server generates one): 16 characters
    /// from an alphabet without look-alikes (about 92 bits).
    static func generatedPassword() -> [UInt8] {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
    }
}

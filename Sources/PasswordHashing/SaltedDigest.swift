import Crypto

/// The RFC 2307-style digest schemes: `{SHA}` is base64(SHA-1(password)); `{SSHA}`, `{SSHA256}`, `{SSHA512}`
/// are base64(digest(password + salt) + salt), as slapd and its pw-sha2 module write them.
enum SaltedDigest {
    /// Salt length of new values: 8 bytes, as pw-sha2 (slappasswd's `{SSHA}` uses 4; any length verifies).
    static let saltLength = 8

    /// The digest length and function of `scheme`; `nil` for the schemes that are not of this family.
    static func function(_ scheme: PasswordScheme) -> (length: Int, salted: Bool, digest: ([UInt8]) -> [UInt8])? {
        switch scheme {
        case .sha: (Insecure.SHA1.byteCount, false, { Array(Insecure.SHA1.hash(data: $0)) })
        case .ssha: (Insecure.SHA1.byteCount, true, { Array(Insecure.SHA1.hash(data: $0)) })
        case .ssha256: (SHA256.byteCount, true, { Array(SHA256.hash(data: $0)) })
        case .ssha512: (SHA512.byteCount, true, { Array(SHA512.hash(data: $0)) })
        default: nil
        }
    }

    /// The stored text (without prefix) for `password` with `salt` (ignored by `{SHA}`).
    static func encode(_ password: [UInt8], scheme: PasswordScheme, salt: [UInt8]) -> String? {
        guard let (_, salted, digest) = function(scheme) else { return nil }
        let usedSalt = salted ? salt : []
        return Base64Codec.standard.encode(digest(password + usedSalt) + usedSalt)
    }

    /// Whether `password` matches the stored text `encoded` of `scheme`; false when the text is not strict
    /// base64 or has the wrong length (a salted value needs at least one salt byte).
    static func matches(_ password: [UInt8], scheme: PasswordScheme, encoded: some Collection<UInt8>) -> Bool {
        guard let (length, salted, digest) = function(scheme), let decoded = Base64Codec.standard.decode(encoded),
            salted ? decoded.count > length : decoded.count == length
        else { return false }
        let expected = decoded.prefix(length)
        let salt = Array(decoded.dropFirst(length))
        return ConstantTime.equal(digest(password + salt), expected)
    }
}

import Crypto
import CryptoExtras

/// `{PBKDF2-SHA256}` and `{PBKDF2-SHA512}` as OpenLDAP's contrib pw-pbkdf2 module writes them:
/// `rounds$salt$hash`, salt and hash in adapted base64 (`.` for `+`, no padding), the hash as long as the
/// digest (32 or 64 bytes).
///
/// PBKDF2 comes from swift-crypto's CryptoExtras (already a dependency, BoringSSL underneath) rather than the
/// system OpenSSL: no second crypto library to link and keep in step. Imported values may have few rounds
/// (pw-pbkdf2's default is 10,000), below the 210,000 CryptoExtras' checked API demands, hence
/// `unsafeUncheckedRounds` — the values exist already, refusing them would only lock people out.
enum PBKDF2Hash {
    /// Salt length of new values (pw-pbkdf2's).
    static let saltLength = 16
    /// Accepted rounds, in stored values and in configuration: above 5,000,000 a single check would take
    /// seconds.
    static let rounds = 1...5_000_000
    /// Accepted stored salt lengths.
    static let saltLengths = 1...64

    /// The hash function and output length of `scheme`; `nil` for other schemes.
    static func function(_ scheme: PasswordScheme) -> (KDF.Insecure.PBKDF2.HashFunction, Int)? {
        switch scheme {
        case .pbkdf2Sha256: (.sha256, SHA256.byteCount)
        case .pbkdf2Sha512: (.sha512, SHA512.byteCount)
        default: nil
        }
    }

    /// The stored text (without prefix) of `password` with `rounds` and a fresh salt.
    static func make(
        _ password: [UInt8], scheme: PasswordScheme, rounds: Int
    ) throws(PasswordHashingError) -> String {
        guard Self.rounds.contains(rounds) else {
            throw .invalidParameter(
                "PBKDF2 rounds must be \(Self.rounds.lowerBound) to \(Self.rounds.upperBound), not \(rounds)")
        }
        guard let (function, length) = function(scheme) else {
            throw .invalidParameter("\(scheme.prefix) is not a PBKDF2 scheme")
        }
        let salt = SecureRandom.bytes(saltLength)
        guard let derived = derive(password, salt: salt, function: function, length: length, rounds: rounds) else {
            throw .libraryFailure(scheme, "PBKDF2 derivation failed")
        }
        return "\(rounds)$\(Base64Codec.adapted.encode(salt))$\(Base64Codec.adapted.encode(derived))"
    }

    /// Whether `password` matches the stored text `encoded`; false for a malformed value, rounds out of range
    /// or a hash whose length is not the digest's.
    static func matches(_ password: [UInt8], scheme: PasswordScheme, encoded: some Collection<UInt8>) -> Bool {
        let fields = Array(encoded).split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard fields.count == 3, let (function, length) = function(scheme),
            let rounds = decimal(fields[0]), Self.rounds.contains(rounds),
            let salt = Base64Codec.adapted.decode(fields[1]), saltLengths.contains(salt.count),
            let expected = Base64Codec.adapted.decode(fields[2]), expected.count == length,
            let derived = derive(password, salt: salt, function: function, length: length, rounds: rounds)
        else { return false }
        return ConstantTime.equal(derived, expected)
    }

    /// The rounds of a stored value, for ``PasswordHasher/needsRehash(_:to:)``.
    static func rounds(of encoded: some Collection<UInt8>) -> Int? {
        Array(encoded).split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false).first.flatMap(decimal)
    }

    private static func derive(
        _ password: [UInt8], salt: [UInt8], function: KDF.Insecure.PBKDF2.HashFunction, length: Int, rounds: Int
    ) -> [UInt8]? {
        guard
            let key = try? KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: function, outputByteCount: length, unsafeUncheckedRounds: rounds)
        else { return nil }
        return key.withUnsafeBytes { Array($0) }
    }

    /// A decimal number of 1 to 9 digits (so it fits any Int), no sign, no leading zero.
    private static func decimal(_ digits: some Collection<UInt8>) -> Int? {
        guard (1...9).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }),
            digits.count == 1 || digits.first != 0x30
        else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}

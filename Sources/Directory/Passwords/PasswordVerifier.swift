import Crypto
import Foundation

/// Checks a password a client sent against a stored `userPassword` value (or the configured root password).
///
/// Stored forms understood: `{SSHA}`, `{SHA}`, `{SSHA256}`, `{SSHA512}` (RFC 2307 style: base64 of the digest,
/// followed by the salt for the salted schemes) and cleartext (a value without a `{SCHEME}` prefix). An unknown
/// scheme never verifies. Comparisons take the same time whatever the position of the first difference. The
/// password-hashing issue adds argon2 here; the type stays the one entry point.
struct PasswordVerifier: Sendable {
    /// The hash schemes understood, by upper-case name: digest length and the digest function.
    private static let schemes: [String: (length: Int, digest: @Sendable ([UInt8]) -> [UInt8])] = [
        "SHA": (Insecure.SHA1.byteCount, { Array(Insecure.SHA1.hash(data: $0)) }),
        "SSHA": (Insecure.SHA1.byteCount, { Array(Insecure.SHA1.hash(data: $0)) }),
        "SSHA256": (SHA256.byteCount, { Array(SHA256.hash(data: $0)) }),
        "SSHA512": (SHA512.byteCount, { Array(SHA512.hash(data: $0)) }),
    ]

    /// Whether `password` matches `stored`.
    func verify(_ password: [UInt8], against stored: [UInt8]) -> Bool {
        guard let (scheme, encoded) = Self.split(stored) else {
            return Self.constantTimeEqual(password, stored)
        }
        guard let (length, digest) = Self.schemes[scheme],
            let decoded = Data(base64Encoded: Data(encoded), options: .ignoreUnknownCharacters).map(Array.init)
        else {
            return false
        }
        let salted = scheme != "SHA"
        guard salted ? decoded.count > length : decoded.count == length else { return false }
        let expected = Array(decoded.prefix(length))
        let salt = Array(decoded.dropFirst(length))
        return Self.constantTimeEqual(digest(password + salt), expected)
    }

    /// `(SCHEME, rest)` for a value starting with `{SCHEME}`; `nil` for a value without one (cleartext).
    static func split(_ stored: [UInt8]) -> (String, ArraySlice<UInt8>)? {
        guard stored.first == UInt8(ascii: "{"), let close = stored.firstIndex(of: UInt8(ascii: "}")),
            close > 1
        else {
            return nil
        }
        let scheme = String(decoding: stored[1..<close], as: UTF8.self).uppercased()
        return (scheme, stored[(close + 1)...])
    }

    /// Equality whose time depends only on the lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        let count = max(a.count, b.count)
        for index in 0..<count {
            let left = index < a.count ? a[index] : 0
            let right = index < b.count ? b[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}

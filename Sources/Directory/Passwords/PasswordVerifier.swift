import PasswordHashing

/// Checks a password a client sent against a stored `userPassword` value (or the configured root password).
///
/// The work is the `PasswordHashing` module's (``PasswordHasher/verify(_:against:)``): `{ARGON2}`, `{SSHA}`,
/// `{SHA}`, `{SSHA256}`, `{SSHA512}`, `{PBKDF2-SHA256}`, `{PBKDF2-SHA512}`, `{CRYPT}` with `$5$`/`$6$`, and
/// cleartext for a value without a `{SCHEME}` prefix. An unknown scheme or a malformed value never verifies;
/// comparisons are constant-time. Verification needs no configuration (a stored value carries its costs, within
/// the module's bounds), so one verifier serves every configuration.
struct PasswordVerifier: Sendable {
    private let hasher = PasswordHashing.PasswordHasher()

    /// Whether `password` matches `stored`. Blocking (Argon2: milliseconds): never on an event loop.
    func verify(_ password: [UInt8], against stored: [UInt8]) -> Bool {
        hasher.verify(password, against: stored)
    }
}

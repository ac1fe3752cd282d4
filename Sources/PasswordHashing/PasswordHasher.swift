/// Makes and checks stored password values (`userPassword`, the root password) in every scheme of
/// ``PasswordScheme``, with the costs configured for new values.
///
/// Thread-safe and blocking: Argon2 with the default parameters takes tens of milliseconds of one core, so
/// callers run it on a worker pool, never on an event loop (docs/passwords.md).
package struct PasswordHasher: Sendable {
    /// The costs of new `{ARGON2}` values (validated by ``validate()``).
    package var argon2: Argon2Parameters
    /// The rounds of new `{PBKDF2-…}` values (OWASP's 600,000 for PBKDF2-HMAC-SHA256 by default).
    package var pbkdf2Rounds: Int
    /// Stored values longer than this (bytes) with a `{SCHEME}` prefix never verify: every scheme's value is
    /// far shorter, and it bounds the work a damaged value can cause.
    package static let maximumStoredLength = 1024

    /// Makes a hasher with the given costs for new values.
    package init(argon2: Argon2Parameters = .default, pbkdf2Rounds: Int = 600_000) {
        self.argon2 = argon2
        self.pbkdf2Rounds = pbkdf2Rounds
    }

    /// invalidParameter when a configured cost is out of range (checked at start-up).
    package func validate() throws(PasswordHashingError) {
        try argon2.validate()
        guard PBKDF2Hash.rounds.contains(pbkdf2Rounds) else {
            throw .invalidParameter(
                "PBKDF2 rounds must be \(PBKDF2Hash.rounds.lowerBound) to \(PBKDF2Hash.rounds.upperBound), "
                    + "not \(pbkdf2Rounds)")
        }
    }

    /// The stored form of `password` in `scheme`, prefix included, with a fresh random salt.
    package func hash(_ password: [UInt8], scheme: PasswordScheme) throws(PasswordHashingError) -> String {
        switch scheme {
        case .argon2:
            return scheme.prefix + (try Argon2Hash.make(password, parameters: argon2)).encoded
        case .ssha, .ssha256, .ssha512, .sha:
            let salt = SecureRandom.bytes(SaltedDigest.saltLength)
            guard let encoded = SaltedDigest.encode(password, scheme: scheme, salt: salt) else {
                throw .invalidParameter("\(scheme.prefix) is not a digest scheme")
            }
            return scheme.prefix + encoded
        case .pbkdf2Sha256, .pbkdf2Sha512:
            return scheme.prefix + (try PBKDF2Hash.make(password, scheme: scheme, rounds: pbkdf2Rounds))
        case .crypt:
            return scheme.prefix + (try SHACrypt.make(password))
        case .cleartext:
            guard let text = String(validating: password, as: UTF8.self) else {
                throw .unsupportedPassword(.cleartext, "the password is not UTF-8")
            }
            guard !Self.isPrehashed(password) else {
                throw .unsupportedPassword(.cleartext, "a cleartext password cannot start with a known {SCHEME}")
            }
            return text
        }
    }

    /// Whether `password` matches `stored`: a `{SCHEME}` value of a known scheme checked by its algorithm, a
    /// value without prefix compared as cleartext. An unknown scheme, a malformed value, or costs beyond the
    /// bounds never verify (and never trap). Every final comparison is constant-time.
    package func verify(_ password: [UInt8], against stored: [UInt8]) -> Bool {
        guard let (label, encoded) = Self.split(stored) else {
            return ConstantTime.equal(password, stored)
        }
        guard stored.count <= Self.maximumStoredLength, let scheme = PasswordScheme(storedLabel: label) else {
            return false
        }
        switch scheme {
        case .argon2:
            return Argon2Hash(encoded: encoded)?.matches(password) ?? false
        case .ssha, .ssha256, .ssha512, .sha:
            return SaltedDigest.matches(password, scheme: scheme, encoded: encoded)
        case .pbkdf2Sha256, .pbkdf2Sha512:
            return PBKDF2Hash.matches(password, scheme: scheme, encoded: encoded)
        case .crypt:
            return SHACrypt.matches(password, setting: encoded)
        case .cleartext:
            return false
        }
    }

    /// Whether a value that just verified should be replaced by a new hash in `scheme`: another scheme, or
    /// `{ARGON2}` with another variant, version or costs than configured, or PBKDF2 with other rounds.
    /// Unknown or malformed values answer false (they cannot have verified).
    package func needsRehash(_ stored: [UInt8], to scheme: PasswordScheme) -> Bool {
        guard let current = Self.scheme(of: stored) else { return false }
        guard current == scheme else { return true }
        switch scheme {
        case .argon2:
            guard let (_, encoded) = Self.split(stored), let value = Argon2Hash(encoded: encoded) else { return false }
            return value.variant != .argon2id || value.version != Argon2Hash.currentVersion
                || value.parameters != argon2
        case .pbkdf2Sha256, .pbkdf2Sha512:
            guard let (_, encoded) = Self.split(stored) else { return false }
            return PBKDF2Hash.rounds(of: encoded) != pbkdf2Rounds
        default:
            return false
        }
    }

    /// The scheme of a stored value: ``PasswordScheme/cleartext`` without prefix, `nil` for an unknown
    /// `{SCHEME}`.
    package static func scheme(of stored: [UInt8]) -> PasswordScheme? {
        guard let (label, _) = split(stored) else { return .cleartext }
        return PasswordScheme(storedLabel: label)
    }

    /// Whether `value` starts with the `{SCHEME}` prefix of a scheme this module knows (case-insensitive):
    /// what a client sends that way is a hash, not a password, and is stored only when allowed.
    package static func isPrehashed(_ value: [UInt8]) -> Bool {
        guard let scheme = scheme(of: value) else { return false }
        return scheme != .cleartext
    }

    /// `(LABEL, rest)` for a value starting with `{LABEL}` (label upper-cased); `nil` for a value without one.
    static func split(_ stored: [UInt8]) -> (String, ArraySlice<UInt8>)? {
        guard stored.first == UInt8(ascii: "{"), let close = stored.firstIndex(of: UInt8(ascii: "}")),
            close > 1
        else { return nil }
        let label = String(decoding: stored[1..<close], as: UTF8.self).uppercased()
        return (label, stored[(close + 1)...])
    }
}

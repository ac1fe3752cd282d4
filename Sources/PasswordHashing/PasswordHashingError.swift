/// Why a password could not be hashed, or a hashing setting is refused; the message says what to change.
package enum PasswordHashingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting (Argon2 parameters, PBKDF2 rounds) outside the accepted range.
    case invalidParameter(String)
    /// The scheme cannot store this password (cleartext that is not UTF-8, crypt with a NUL byte).
    case unsupportedPassword(PasswordScheme, String)
    /// The underlying library failed (libargon2's or libxcrypt's message).
    case libraryFailure(PasswordScheme, String)

    package var description: String {
        switch self {
        case .invalidParameter(let message): message
        case .unsupportedPassword(let scheme, let message):
            "\(scheme.prefix.isEmpty ? "cleartext" : scheme.prefix): \(message)"
        case .libraryFailure(let scheme, let message): "\(scheme.prefix) hashing failed: \(message)"
        }
    }
}

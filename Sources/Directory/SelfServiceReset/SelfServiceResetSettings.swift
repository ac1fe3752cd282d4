import LDAPProtocol

/// The self-service password reset by SMS (domain.md D6, docs/password-reset.md): who may call the two extended
/// operations, the codes, the rate limits and where codes go. `nil` in ``DirectoryConfiguration`` turns the two
/// operations off (they are then unknown, and absent from the root DSE).
package struct SelfServiceResetSettings: Sendable {
    /// The bound identities allowed to call the operations (the portal's service accounts); anyone else,
    /// anonymous included, gets insufficientAccessRights.
    package var serviceAccounts: [DistinguishedName]
    /// Digits in a code, 6 to 8.
    package var codeLength: Int
    /// Seconds a code stays valid.
    package var codeValidity: Int64
    /// Wrong codes accepted before the code is invalidated.
    package var maximumAttempts: Int
    /// Code requests per identifier (whether or not it exists) per window.
    package var perIdentifier: RateLimit
    /// Code requests and reset attempts per client address per window.
    package var perAddress: RateLimit
    /// Where codes are handed for sending.
    package var delivery: any ResetCodeDelivery

    /// Makes the settings; the defaults are the recommended ones.
    package init(
        serviceAccounts: [DistinguishedName],
        codeLength: Int = 6,
        codeValidity: Int64 = 600,
        maximumAttempts: Int = 3,
        perIdentifier: RateLimit = RateLimit(count: 3, windowSeconds: 3600),
        perAddress: RateLimit = RateLimit(count: 20, windowSeconds: 3600),
        delivery: any ResetCodeDelivery
    ) {
        self.serviceAccounts = serviceAccounts
        self.codeLength = min(max(codeLength, 6), 8)
        self.codeValidity = max(codeValidity, 1)
        self.maximumAttempts = max(maximumAttempts, 1)
        self.perIdentifier = perIdentifier
        self.perAddress = perAddress
        self.delivery = delivery
    }
}

/// At most ``count`` events per ``windowSeconds``; a count of 0 turns the limit off.
package struct RateLimit: Sendable, Hashable {
    /// Events allowed per window; 0: no limit.
    package var count: Int
    /// The window's length in seconds.
    package var windowSeconds: Int64

    /// Makes a limit.
    package init(count: Int, windowSeconds: Int64) {
        self.count = max(count, 0)
        self.windowSeconds = max(windowSeconds, 1)
    }
}

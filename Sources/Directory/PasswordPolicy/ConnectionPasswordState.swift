import NIOConcurrencyHelpers

/// What the password policy remembers of a connection: whether its bound identity must change its password
/// before anything else (a Bind answered changeAfterReset). Shared by every copy of the connection's
/// ``ConnectionInfo`` (like its paged searches), so the Bind sets it and a password change on the same
/// connection lifts it without the server carrying a new field back from each outcome.
package final class ConnectionPasswordState: Sendable {
    private let restricted = NIOLockedValueBox(false)

    /// A connection that is not restricted.
    package init() {}

    /// Whether operations other than Bind, Who am I? and changing one's own password are refused.
    package var mustChangePassword: Bool {
        get { restricted.withLockedValue { $0 } }
    }

    /// Sets the restriction (Bind) or lifts it (own password change).
    package func setMustChangePassword(_ value: Bool) {
        restricted.withLockedValue { $0 = value }
    }
}

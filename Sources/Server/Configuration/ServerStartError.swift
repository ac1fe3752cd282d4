/// Why ``LDAPServer/start()`` failed; every case names what to fix.
package enum ServerStartError: Error, Sendable, CustomStringConvertible {
    /// A listener could not be bound (address in use, no such address, permission…).
    case cannotBind(listener: ServerListener, reason: String)
    /// The TLS material could not be loaded or generated.
    case tls(String)
    /// An `ldaps://` listener is configured but TLS is disabled.
    case ldapsWithoutTLS(listener: ServerListener)
    /// `start()` was called twice, or after `shutdown()`.
    case notStartable(String)

    package var description: String {
        switch self {
        case .cannotBind(let listener, let reason): "cannot listen on \(listener): \(reason)"
        case .tls(let message): "TLS: \(message)"
        case .ldapsWithoutTLS(let listener): "cannot listen on \(listener): TLS is disabled"
        case .notStartable(let message): message
        }
    }
}

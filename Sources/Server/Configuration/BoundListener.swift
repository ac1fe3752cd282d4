/// A listener as ``LDAPServer/start()`` bound it.
package struct BoundListener: Hashable, Sendable, CustomStringConvertible {
    /// The listener as configured.
    package var configured: ServerListener
    /// The same with the port actually bound (differs when the configured port was 0).
    package var bound: ServerListener

    /// Makes the pair.
    package init(configured: ServerListener, bound: ServerListener) {
        self.configured = configured
        self.bound = bound
    }

    /// The bound port.
    package var port: Int { bound.port }

    package var description: String { bound.description }
}

import NIOCore

/// Everything ``LDAPServer`` needs besides the directory: listeners, TLS, limits and threads.
package struct ServerConfiguration: Hashable, Sendable {
    /// The addresses to listen on, at least one.
    package var listeners: [ServerListener]
    /// TLS for `ldaps://` listeners and StartTLS.
    package var tls: TLSSettings
    /// Bounds on what clients may make the server hold.
    package var limits: ServerLimits
    /// Threads running read operations (search, compare, bind…) in parallel.
    package var readThreadCount: Int
    /// Event loop threads doing network I/O, TLS and PDU decoding.
    package var eventLoopThreadCount: Int
    /// How long ``LDAPServer/shutdown()`` waits for cancelled operations to finish before closing connections.
    package var shutdownGrace: TimeAmount

    /// Makes a configuration; thread counts default to the number of cores.
    package init(
        listeners: [ServerListener],
        tls: TLSSettings,
        limits: ServerLimits = ServerLimits(),
        readThreadCount: Int = System.coreCount,
        eventLoopThreadCount: Int = System.coreCount,
        shutdownGrace: TimeAmount = .seconds(10)
    ) {
        self.listeners = listeners
        self.tls = tls
        self.limits = limits
        self.readThreadCount = readThreadCount
        self.eventLoopThreadCount = eventLoopThreadCount
        self.shutdownGrace = shutdownGrace
    }
}

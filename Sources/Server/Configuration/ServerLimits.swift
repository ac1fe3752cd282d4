import NIOCore

/// The bounds the server puts on what clients may make it hold. Defaults are safe for a public-facing server.
package struct ServerLimits: Hashable, Sendable {
    /// Largest PDU accepted, header included; a bigger declared length closes the connection at once
    /// (OpenLDAP's anonymous `sockbuf_max_incoming` is 256 KiB).
    package var maximumMessageSize: Int
    /// Deepest AND/OR/NOT nesting accepted in a search filter.
    package var maximumFilterDepth: Int
    /// Open connections, all listeners together; more are closed at accept.
    package var maximumConnections: Int
    /// Open connections from one source address; more are closed at accept.
    package var maximumConnectionsPerAddress: Int
    /// A connection with no request received and none outstanding for this long is closed without notice, as
    /// slapd's `idletimeout` does. `nil`: never (slapd's default; TCP keepalive still drops dead peers).
    package var idleTimeout: TimeAmount?
    /// Requests running or queued on one connection; more are answered `busy`.
    package var maximumOutstandingOperations: Int

    /// Makes limits; every default is the documented one.
    package init(
        maximumMessageSize: Int = LDAPDecoderDefaults.maximumMessageSize,
        maximumFilterDepth: Int = LDAPDecoderDefaults.maximumFilterDepth,
        maximumConnections: Int = 4096,
        maximumConnectionsPerAddress: Int = 512,
        idleTimeout: TimeAmount? = nil,
        maximumOutstandingOperations: Int = 64
    ) {
        self.maximumMessageSize = maximumMessageSize
        self.maximumFilterDepth = maximumFilterDepth
        self.maximumConnections = maximumConnections
        self.maximumConnectionsPerAddress = maximumConnectionsPerAddress
        self.idleTimeout = idleTimeout
        self.maximumOutstandingOperations = maximumOutstandingOperations
    }
}

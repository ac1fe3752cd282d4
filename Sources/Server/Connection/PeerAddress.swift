import NIOCore

/// What the server needs to know of a peer's socket address.
struct PeerAddress: Hashable, Sendable {
    /// `address:port`, IPv6 in brackets (``Directory/ConnectionInfo/peer``).
    var description: String
    /// The address alone: the key of the per-address connection limit.
    var host: String
    /// 127.0.0.0/8, ::1, or an IPv4-mapped loopback address.
    var isLoopback: Bool

    /// Describes `address`; an address without IP (a Unix socket) counts as loopback.
    init(_ address: SocketAddress?) {
        guard let address, let ip = address.ipAddress else {
            self.description = "local"
            self.host = "local"
            self.isLoopback = true
            return
        }
        let port = address.port ?? 0
        switch address {
        case .v6:
            self.description = "[\(ip)]:\(port)"
            self.isLoopback = ip == "::1" || ip.lowercased().hasPrefix("::ffff:127.")
        default:
            self.description = "\(ip):\(port)"
            self.isLoopback = ip.hasPrefix("127.")
        }
        self.host = ip
    }
}

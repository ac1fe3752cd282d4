import LDAPProtocol
import NIOCore
import NIOPosix
import NIOSSL

/// Opens the generator's connections: TCP (TCP_NODELAY), TLS for ldaps://, the LDAP framing of LDAPProtocol.
struct Connector: Sendable {
    let url: BenchURL
    let tls: NIOSSLContext?

    /// Responses larger than this close the connection (a uid search returns one entry).
    static let maximumMessageSize = 4 * 1024 * 1024

    init(url: BenchURL, verifyCertificate: Bool, caFile: String?) throws(BenchSettingsError) {
        self.url = url
        guard url.tls else {
            tls = nil
            return
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !verifyCertificate {
            configuration.certificateVerification = .none
        } else if let caFile {
            configuration.trustRoots = .file(caFile)
        }
        do {
            tls = try NIOSSLContext(configuration: configuration)
        } catch {
            throw BenchSettingsError("cannot set up TLS: \(error)")
        }
    }

    /// SNI needs a name, not an address.
    private var serverNameIndication: String? {
        let isAddress = url.host.contains(":") || url.host.allSatisfy { $0.isNumber || $0 == "." }
        return isAddress ? nil : url.host
    }

    func connect(on eventLoop: any EventLoop) -> EventLoopFuture<LDAPClientConnection> {
        let connection = LDAPClientConnection(tls: tls != nil)
        let tls = self.tls
        let sni = serverNameIndication
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: sni))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LDAPMessageDecoder(maximumMessageSize: Self.maximumMessageSize)))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(LDAPMessageEncoder()))
                    try channel.pipeline.syncOperations.addHandler(connection)
                }
            }
        return bootstrap.connect(host: url.host, port: url.port).flatMap { _ in connection.whenReady(on: eventLoop) }
    }
}

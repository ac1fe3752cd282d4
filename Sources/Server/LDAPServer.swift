import Directory
import LDAPProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// The LDAP server: listeners, connections and threads around an ``Directory/OperationHandler``.
///
/// `start()` binds every listener and returns where they listen; `shutdown()` stops accepting, cancels the
/// running operations, waits for them up to the grace period, closes the connections (with a Notice of
/// Disconnection, `unavailable`) and stops every thread. Once `shutdown()` returns, no thread of the server
/// touches the directory any more, so the store can be closed.
package final class LDAPServer: Sendable {
    private enum State {
        case idle
        case starting
        case running(Running)
        case stopping
        case stopped
    }

    private struct Running {
        let group: MultiThreadedEventLoopGroup
        let executor: OperationExecutor
        let registry: ConnectionRegistry
        let serverChannels: [any Channel]
    }

    private let configuration: ServerConfiguration
    private let directory: any OperationHandler
    private let logger: Logger
    private let state = NIOLockedValueBox(State.idle)

    /// Makes a server; nothing is bound until ``start()``.
    package init(
        configuration: ServerConfiguration,
        directory: any OperationHandler,
        logger: Logger = Logger(label: "annuaire.server")
    ) {
        self.configuration = configuration
        self.directory = directory
        self.logger = logger
    }

    /// Binds every listener, in order, and returns them with the ports actually bound (port 0 → the one the
    /// system chose). Loads or generates the TLS material first. On any failure nothing stays bound.
    package func start() async throws(ServerStartError) -> [BoundListener] {
        let wasIdle = state.withLockedValue { state in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        guard wasIdle else { throw .notStartable("the server was already started") }
        do {
            let (running, bound) = try await bindEverything()
            state.withLockedValue { $0 = .running(running) }
            for listener in bound { logger.notice("listening on \(listener.bound)") }
            return bound
        } catch {
            state.withLockedValue { $0 = .stopped }
            throw error
        }
    }

    private func bindEverything() async throws(ServerStartError) -> (Running, [BoundListener]) {
        guard !configuration.listeners.isEmpty else { throw .notStartable("no listener is configured") }
        let tlsContext = try TLSContextFactory.makeContext(configuration.tls, logger: logger)
        if tlsContext == nil, let ldaps = configuration.listeners.first(where: { $0.scheme == .ldaps }) {
            throw .ldapsWithoutTLS(listener: ldaps)
        }
        let limits = configuration.limits
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreadCount))
        let executor = OperationExecutor(readThreadCount: configuration.readThreadCount)
        let registry = ConnectionRegistry(
            maximumTotal: limits.maximumConnections, maximumPerAddress: limits.maximumConnectionsPerAddress)
        let services = ConnectionServices(
            directory: directory,
            executor: executor,
            tlsContext: tlsContext,
            limits: limits,
            decodingOptions: LDAPDecodingOptions(maximumFilterDepth: limits.maximumFilterDepth),
            accessLog: AccessLog(logger: logger),
            registry: registry
        )
        var channels: [any Channel] = []
        var bound: [BoundListener] = []
        for listener in configuration.listeners {
            do {
                let channel = try await makeBootstrap(group: group, listener: listener, services: services)
                    .bind(host: listener.host, port: listener.port).get()
                channels.append(channel)
                let port = channel.localAddress?.port ?? listener.port
                let actual = ServerListener(scheme: listener.scheme, host: listener.host, port: port)
                bound.append(BoundListener(configured: listener, bound: actual))
            } catch {
                for channel in channels { try? await channel.close() }
                await executor.shutdown()
                try? await group.shutdownGracefully()
                throw .cannotBind(listener: listener, reason: "\(error)")
            }
        }
        return (Running(group: group, executor: executor, registry: registry, serverChannels: channels), bound)
    }

    private func makeBootstrap(
        group: MultiThreadedEventLoopGroup, listener: ServerListener, services: ConnectionServices
    ) -> ServerBootstrap {
        let logger = self.logger
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let peer = PeerAddress(channel.remoteAddress)
                if let refusal = services.registry.admit(host: peer.host) {
                    logger.info("peer=\(peer.description) REFUSED on=\(listener) reason=\"\(refusal)\"")
                    channel.close(promise: nil)
                    return channel.eventLoop.makeSucceededVoidFuture()
                }
                channel.closeFuture.whenComplete { _ in services.registry.release(host: peer.host) }
                return channel.eventLoop.makeCompletedFuture {
                    if listener.scheme == .ldaps, let tlsContext = services.tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        LDAPConnectionHandler(services: services, listener: listener, peer: peer))
                }
            }
    }

    /// Stops the server: no new connection, running operations cancelled and awaited up to the grace period,
    /// connections closed with a Notice of Disconnection, threads stopped. Safe to call more than once.
    package func shutdown() async {
        let running: Running? = state.withLockedValue { state in
            guard case .running(let running) = state else { return nil }
            state = .stopping
            return running
        }
        guard let running else { return }
        let connections = running.registry.stopAccepting()
        for channel in running.serverChannels { try? await channel.close() }
        logger.notice(
            "shutting down: \(connections.count) connection(s), \(running.executor.inFlightCount) operation(s)")
        for connection in connections { connection.beginShutdown() }
        let grace = Duration.nanoseconds(configuration.shutdownGrace.nanoseconds)
        if await !running.executor.waitUntilIdle(timeout: grace) {
            logger.warning(
                "\(running.executor.inFlightCount) operation(s) still running after the grace period; waiting for them")
        }
        for connection in connections { connection.close() }
        // TLS connections wait for the peer's close_notify; do not let one peer hold shutdown for long.
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(2))
        while connections.contains(where: { $0.channel.isActive }), clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        await running.executor.shutdown()
        try? await running.group.shutdownGracefully()
        state.withLockedValue { $0 = .stopped }
        logger.notice("stopped")
    }
}

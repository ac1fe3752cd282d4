import LDAPProtocol
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Why a test client call failed.
enum TestClientError: Error, CustomStringConvertible {
    case timeout(String)
    case closed(received: Int)
    case undecodable(String)

    var description: String {
        switch self {
        case .timeout(let what): "timed out waiting for \(what)"
        case .closed(let received): "connection closed (\(received) unparsed bytes)"
        case .undecodable(let why): "server sent bytes that are not LDAP: \(why)"
        }
    }
}

/// The bytes a test client has received, shared between its event loop and the test.
final class ClientInbox: Sendable {
    struct State {
        var buffer = ByteBuffer()
        var closed = false
        var totalBytes = 0
    }

    let state = Mutex(State())
}

/// Collects every byte received; notes the close.
final class InboxHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let inbox: ClientInbox

    init(inbox: ClientInbox) { self.inbox = inbox }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        inbox.state.withLock { state in
            state.totalBytes += bytes.readableBytes
            state.buffer.writeBuffer(&bytes)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.state.withLock { $0.closed = true }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A small LDAP client over real sockets: sends messages or raw bytes, reads messages with a timeout, can start
/// TLS (from the first byte or after StartTLS).
final class TestLDAPClient: Sendable {
    let channel: any Channel
    let inbox: ClientInbox

    private init(channel: any Channel, inbox: ClientInbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects to `host:port`; with `tls`, wraps the connection from the first byte (LDAPS).
    static func connect(
        host: String = "127.0.0.1", port: Int, tls: NIOSSLContext? = nil, serverHostname: String? = "localhost"
    ) async throws -> TestLDAPClient {
        let inbox = ClientInbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(InboxHandler(inbox: inbox))
                }
            }
            .connect(host: host, port: port).get()
        return TestLDAPClient(channel: channel, inbox: inbox)
    }

    /// Sends one message.
    func send(_ message: LDAPMessage) async throws {
        var buffer = channel.allocator.buffer(capacity: 128)
        message.write(into: &buffer)
        try await channel.writeAndFlush(buffer).get()
    }

    /// Sends messages in one write, so the server reads them together whatever the machine's load.
    func sendTogether(_ messages: [LDAPMessage]) async throws {
        var buffer = channel.allocator.buffer(capacity: 256)
        for message in messages { message.write(into: &buffer) }
        try await channel.writeAndFlush(buffer).get()
    }

    /// Sends bytes as they are.
    func sendRaw(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// The next message from the server.
    func next(timeout: Duration = .seconds(10)) async throws -> LDAPMessage {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let result: Result<LDAPMessage?, TestClientError> = inbox.state.withLock { state in
                do {
                    if let frame = try LDAPMessageDecoder.nextFrame(in: &state.buffer, maximumMessageSize: 1 << 24) {
                        var frame = frame
                        return .success(try LDAPMessage(from: &frame))
                    }
                } catch {
                    return .failure(.undecodable("\(error)"))
                }
                if state.closed { return .failure(.closed(received: state.buffer.readableBytes)) }
                return .success(nil)
            }
            if let message = try result.get() { return message }
            guard clock.now < deadline else { throw TestClientError.timeout("a message") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Messages until (and including) the one for which `isLast` holds.
    func messages(until isLast: (LDAPMessage) -> Bool, timeout: Duration = .seconds(20)) async throws -> [LDAPMessage] {
        var messages: [LDAPMessage] = []
        while true {
            let message = try await next(timeout: timeout)
            messages.append(message)
            if isLast(message) { return messages }
        }
    }

    /// Whether the server closed the connection within `timeout`.
    func waitForClose(timeout: Duration = .seconds(10)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if inbox.state.withLock({ $0.closed }) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    /// Bytes received and not yet parsed.
    var unparsedBytes: [UInt8] {
        inbox.state.withLock { Array($0.buffer.readableBytesView) }
    }

    /// Every byte received since the connection opened.
    var totalBytesReceived: Int { inbox.state.withLock { $0.totalBytes } }

    /// Puts a TLS client handler at the front (after a successful StartTLS) and waits for the handshake.
    func startTLS(_ context: NIOSSLContext, serverHostname: String? = "localhost") async throws {
        try await channel.eventLoop.submit {
            let handler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
            try self.channel.pipeline.syncOperations.addHandler(handler, position: .first)
        }.get()
    }

    /// Closes the connection.
    func close() async {
        try? await channel.close()
    }
}

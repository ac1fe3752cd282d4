import LDAPProtocol
import NIOCore
import NIOTLS

/// How a request ended.
enum RequestOutcome {
    /// The server's result, with the number of entries a search returned.
    case result(ResultCode, entries: Int)
    /// The connection is gone (closed, reset, notice of disconnection, undecodable response).
    case connectionLost(String)
}

/// One LDAP connection of the generator: numbers requests, matches responses by messageID, counts search
/// entries. Confined to its channel's event loop (every method runs there), hence the unchecked Sendable.
final class LDAPClientConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = LDAPMessage
    typealias OutboundOut = LDAPMessage

    private struct Pending {
        var entries: Int
        let completion: (RequestOutcome) -> Void
    }

    private var context: ChannelHandlerContext?
    /// Succeeds once requests can be sent: at connect for ldap://, after the TLS handshake for ldaps://.
    private var ready: EventLoopPromise<Void>?
    private var readyFuture: EventLoopFuture<Void>?
    private let waitsForTLS: Bool

    init(tls: Bool) {
        waitsForTLS = tls
    }
    private var pending: [Int32: Pending] = [:]
    private var nextMessageID: Int32 = 1
    private var lostReason: String?
    /// Inside a burst of reads, requests sent by completions are written and flushed once at the end of the
    /// burst (channelReadComplete): with D requests pipelined, one write syscall carries several requests.
    private var reading = false
    private var needsFlush = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let promise = context.eventLoop.makePromise(of: Void.self)
        ready = promise
        readyFuture = promise.futureResult
        if context.channel.isActive, !waitsForTLS { markReady() }
    }

    /// See `ready`.
    func whenReady(on eventLoop: any EventLoop) -> EventLoopFuture<LDAPClientConnection> {
        guard let readyFuture else {
            return eventLoop.makeFailedFuture(BenchSettingsError("the connection was not set up"))
        }
        return readyFuture.map { self }
    }

    func channelActive(context: ChannelHandlerContext) {
        if !waitsForTLS { markReady() }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { markReady() }
        context.fireUserInboundEventTriggered(event)
    }

    private func markReady() {
        ready?.succeed(())
        ready = nil
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failReady("connection closed before it was ready")
        self.context = nil
    }

    /// Sends one request; `completion` runs on the event loop with its outcome (at once if the connection is gone).
    func send(_ operation: ProtocolOperation, completion: @escaping (RequestOutcome) -> Void) {
        guard let context, lostReason == nil else {
            completion(.connectionLost(lostReason ?? "connection closed"))
            return
        }
        let id = nextMessageID
        // IDs 1...Int32.max (0 is the server's unsolicited notification); wrapping is safe since at most
        // --depth requests are ever outstanding.
        nextMessageID = id == Int32.max ? 1 : id + 1
        pending[id] = Pending(entries: 0, completion: completion)
        let message = wrapOutboundOut(LDAPMessage(messageID: id, protocolOp: operation))
        if reading {
            context.write(message, promise: nil)
            needsFlush = true
        } else {
            context.writeAndFlush(message, promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reading = true
        let message = unwrapInboundIn(data)
        let id = message.messageID
        switch message.protocolOp {
        case .searchResultEntry:
            pending[id]?.entries += 1
        case .searchResultReference, .intermediateResponse:
            break
        case .bindResponse(let response):
            finish(id, response.result.resultCode)
        case .searchResultDone(let result), .modifyResponse(let result), .addResponse(let result),
            .delResponse(let result), .compareResponse(let result), .modifyDNResponse(let result):
            finish(id, result.resultCode)
        case .extendedResponse(let response) where id == 0:
            // Notice of disconnection (RFC 4511 §4.4.1): the server is closing this connection.
            lose("notice of disconnection: \(response.result.resultCode)", context: context)
        case .extendedResponse(let response):
            finish(id, response.result.resultCode)
        default:
            lose("unexpected \(message.protocolOp.name) from the server", context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failReady(lostReason ?? "connection closed by the server")
        failAll(lostReason ?? "connection closed by the server")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lose("connection error: \(error)", context: context)
    }

    /// Unbind (RFC 4511 §4.3) and close; requests still outstanding fail.
    func close() {
        guard let context, lostReason == nil else { return }
        lostReason = "connection closed by the generator"
        let unbind = LDAPMessage(messageID: nextMessageID, protocolOp: .unbindRequest)
        context.writeAndFlush(wrapOutboundOut(unbind), promise: nil)
        context.close(promise: nil)
    }

    private func finish(_ id: Int32, _ code: ResultCode) {
        guard let done = pending.removeValue(forKey: id) else { return }
        done.completion(.result(code, entries: done.entries))
    }

    private func failReady(_ reason: String) {
        ready?.fail(BenchSettingsError(reason))
        ready = nil
    }

    private func lose(_ reason: String, context: ChannelHandlerContext) {
        if lostReason == nil { lostReason = reason }
        failReady(reason)
        failAll(reason)
        context.close(promise: nil)
    }

    private func failAll(_ reason: String) {
        if lostReason == nil { lostReason = reason }
        let outstanding = pending
        pending.removeAll()
        for (_, request) in outstanding.sorted(by: { $0.key < $1.key }) {
            request.completion(.connectionLost(reason))
        }
    }
}

import Directory
import LDAPProtocol
import NIOCore
import NIOSSL

/// One LDAP connection, on its event loop: frames and decodes PDUs, answers Unbind, Abandon and StartTLS itself,
/// sends every other request to the directory on the executor's threads, and writes the responses back.
///
/// It frames the byte stream itself (``LDAPMessageDecoder/nextFrame(in:maximumMessageSize:)``) rather than
/// through a `ByteToMessageHandler`, so that on StartTLS it can stop at the exact PDU boundary and pass any bytes
/// already received after the request (an eager ClientHello) through the TLS handler it has just inserted.
final class LDAPConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Where the connection is in its life.
    enum Phase: Equatable {
        /// Processing requests.
        case open
        /// The StartTLS response is written; TLS goes in once the current read has been handled.
        case startingTLS
        /// The server is shutting down: running operations are cancelled, new requests answered `unavailable`.
        case draining
        /// Closing: nothing more is read or written.
        case closing
    }

    private let services: ConnectionServices
    private let scheme: ServerListener.Scheme
    private var info: ConnectionInfo
    private var phase = Phase.open
    private var table = OperationTable()
    private var cumulation = ByteBuffer()
    private var nextOperationNumber: UInt64 = 0
    private let gate = OutboundGate()
    private var readPending = false
    private var idleTimer: Scheduled<Void>?
    private var lastActivity = NIODeadline.now()
    private var context: ChannelHandlerContext?
    private var closeReason: String?

    /// Makes the handler of a freshly accepted connection.
    init(services: ConnectionServices, listener: ServerListener, peer: PeerAddress) {
        self.services = services
        self.scheme = listener.scheme
        self.info = ConnectionInfo(
            connectionID: ConnectionRegistry.makeConnectionID(),
            peer: peer.description,
            isLoopback: peer.isLoopback,
            isTLS: listener.scheme == .ldaps
        )
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { becameActive(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        becameActive(context: context)
        context.fireChannelActive()
    }

    private var isActive = false

    private func becameActive(context: ChannelHandlerContext) {
        guard !isActive else { return }
        isActive = true
        let local = "\(scheme.rawValue)://\(PeerAddress(context.channel.localAddress).description)"
        services.accessLog.opened(connection: info.connectionID, peer: info.peer, listener: local)
        gate.setWritable(context.channel.isWritable)
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        services.registry.register(
            info.connectionID,
            ConnectionRegistry.Control(
                channel: context.channel,
                beginShutdown: { eventLoop.execute { bound.value.beginShutdown() } },
                close: { eventLoop.execute { bound.value.closeForShutdown() } }
            ))
        lastActivity = .now()
        if let timeout = services.limits.idleTimeout, timeout > .zero { scheduleIdleCheck(in: timeout) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        phase = .closing
        table.cancelAll()
        gate.close()
        idleTimer?.cancel()
        idleTimer = nil
        info.pagedSearches.removeAll()
        services.registry.unregister(info.connectionID)
        services.accessLog.closed(connection: info.connectionID, peer: info.peer, reason: closeReason ?? "peer closed")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closeSilently(reason: "\(error)")
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        gate.setWritable(writable)
        if writable && readPending {
            readPending = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    /// Reads no more requests while the client is not reading its responses.
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readPending = true
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard phase != .closing else { return }
        var incoming = unwrapInboundIn(data)
        lastActivity = .now()
        if cumulation.readableBytes == 0 {
            cumulation = incoming
        } else {
            cumulation.writeBuffer(&incoming)
        }
        processBuffered(context: context)
        if phase == .startingTLS { installTLS(context: context) }
    }

    // MARK: - Framing

    /// Decodes and handles every complete PDU buffered. Framing errors close as OpenLDAP does: an oversize
    /// length or a broken envelope silently, an error inside an operation with a Notice of Disconnection.
    private func processBuffered(context: ChannelHandlerContext) {
        while phase == .open || phase == .draining {
            let frame: ByteBuffer?
            do {
                frame = try LDAPMessageDecoder.nextFrame(
                    in: &cumulation, maximumMessageSize: services.limits.maximumMessageSize)
            } catch {
                closeSilently(reason: "framing error: \(error)")
                return
            }
            guard var frame else { break }
            let message: LDAPMessage
            do {
                message = try LDAPMessage(from: &frame, options: services.decodingOptions)
            } catch {
                if error.messageID != nil {
                    disconnect(.protocolError, diagnostic: "\(error)", reason: "decoding error: \(error)")
                } else {
                    closeSilently(reason: "envelope error: \(error)")
                }
                return
            }
            handle(message, context: context)
        }
        if cumulation.readableBytes == 0 {
            cumulation = ByteBuffer()
        } else if cumulation.readerIndex > 64 * 1024 {
            cumulation.discardReadBytes()
        }
    }

    // MARK: - Requests

    private func handle(_ message: LDAPMessage, context: ChannelHandlerContext) {
        guard message.isClientRequest else {
            disconnect(
                .protocolError, diagnostic: "unexpected \(message.protocolOp.name)",
                reason: "client sent \(message.protocolOp.name)")
            return
        }
        let number = nextOperationNumber
        nextOperationNumber &+= 1
        let received = NIODeadline.now()
        switch message.protocolOp {
        case .unbindRequest:
            logServerHandled(number, message, .success, received: received)
            closeSilently(reason: "unbind")
            return
        case .abandonRequest(let target):
            let found = table.abandon(messageID: target)
            if found == .cancelled { gate.wakeAll() }
            logServerHandled(number, message, .success, details: "msg=\(target)", received: received)
            if found == .removedFromQueue { pump(context: context) }
            return
        default:
            break
        }
        if message.isStartTLS {
            startTLS(message, number: number, received: received, context: context)
            return
        }
        if phase == .draining {
            respond(to: message, number: number, received: received, .unavailable, "the server is shutting down")
            return
        }
        guard table.count < services.limits.maximumOutstandingOperations else {
            respond(to: message, number: number, received: received, .busy, "too many outstanding operations")
            return
        }
        table.enqueue(OperationTable.Entry(
            number: number, message: message, received: received, cancellation: OperationCancellation()))
        pump(context: context)
    }

    /// Sends to the threads whatever the Bind ordering allows to run now.
    private func pump(context: ChannelHandlerContext) {
        for entry in table.takeDispatchable() { dispatch(entry, context: context) }
    }

    /// Runs one request on the executor; entries come back through the gate, the outcome through
    /// ``operationFinished(_:outcome:response:finished:)``, both on this event loop and in order.
    private func dispatch(_ entry: OperationTable.Entry, context: ChannelHandlerContext) {
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let allocator = context.channel.allocator
        let directory = services.directory
        let gate = self.gate
        let connection = info
        let number = entry.number
        let message = entry.message
        let cancellation = entry.cancellation
        services.executor.submit(isWrite: directory.isWrite(message)) { active in
            var outcome: OperationOutcome?
            if active && !cancellation.isCancelled {
                outcome = directory.perform(message, connection: connection, cancellation: cancellation) { reply in
                    var buffer = allocator.buffer(capacity: 256)
                    reply.write(into: &buffer)
                    let size = buffer.readableBytes
                    guard gate.acquire(size, cancellation: cancellation) else { return }
                    let entry = buffer
                    eventLoop.execute { bound.value.writeIntermediate(entry, size: size, number: number) }
                }
            }
            var response: ByteBuffer?
            if let message = outcome?.response {
                var buffer = allocator.buffer(capacity: 128)
                message.write(into: &buffer)
                response = buffer
            }
            let finished = NIODeadline.now()
            let result = outcome
            let encoded = response
            eventLoop.execute {
                bound.value.operationFinished(number, outcome: result, response: encoded, finished: finished)
            }
        }
    }

    /// A search entry or reference from a pool thread.
    private func writeIntermediate(_ buffer: ByteBuffer, size: Int, number: UInt64) {
        let drained = gate.release(size)
        guard let context, phase != .closing else { return }
        if table.isLive(number) { context.write(wrapOutboundOut(buffer), promise: nil) }
        if drained { context.flush() }
    }

    /// An operation's end: its response, the identity a Bind established, the access log line, and whatever was
    /// waiting for it.
    private func operationFinished(
        _ number: UInt64, outcome: OperationOutcome?, response: ByteBuffer?, finished: NIODeadline
    ) {
        guard let entry = table.finish(number) else { return }
        lastActivity = .now()
        if let identity = outcome?.newIdentity, phase != .closing {
            info.identity = identity
            info.accessSubject = outcome?.newAccessSubject
            info.pagedSearches.removeAll()
        }
        if let response, let context, phase != .closing, !entry.abandoned {
            context.writeAndFlush(wrapOutboundOut(response), promise: nil)
        }
        let fields =
            outcome?.log
            ?? AccessLogFields(
                operation: entry.message.accessLogName, dn: entry.message.accessLogDN, details: "abandoned=true",
                resultCode: .canceled)
        services.accessLog.operation(
            connection: info.connectionID, operation: number, peer: info.peer, fields: fields,
            elapsedMicros: Self.micros(from: entry.received, to: finished))
        if let context, phase == .open { pump(context: context) }
    }

    /// Answers a request the server handles itself (busy, unavailable, refused StartTLS) and logs it.
    private func respond(
        to message: LDAPMessage, number: UInt64, received: NIODeadline, _ code: ResultCode, _ diagnostic: String,
        responseName: String? = nil
    ) {
        guard var reply = message.serverResponse(LDAPResult(code, diagnosticMessage: diagnostic)) else { return }
        if let responseName, case .extendedResponse(var extended) = reply.protocolOp {
            extended.name = ByteBuffer(string: responseName)
            reply.protocolOp = .extendedResponse(extended)
        }
        if let context {
            var buffer = context.channel.allocator.buffer(capacity: 64)
            reply.write(into: &buffer)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
        logServerHandled(number, message, code, details: message.accessLogDetails, received: received)
    }

    private func logServerHandled(
        _ number: UInt64, _ message: LDAPMessage, _ code: ResultCode, details: String = "", received: NIODeadline
    ) {
        services.accessLog.operation(
            connection: info.connectionID, operation: number, peer: info.peer,
            fields: AccessLogFields(
                operation: message.accessLogName, dn: message.accessLogDN, details: details, resultCode: code),
            elapsedMicros: Self.micros(from: received, to: .now()))
    }

    // MARK: - StartTLS

    /// RFC 4511 §4.14 and RFC 4513 §3.1: refused while TLS is on or other operations are outstanding; on success
    /// the response goes out in the clear and TLS is inserted before any further byte is read.
    private func startTLS(
        _ message: LDAPMessage, number: UInt64, received: NIODeadline, context: ChannelHandlerContext
    ) {
        let refusal: (ResultCode, String)?
        if info.isTLS {
            refusal = (.operationsError, "TLS is already on")
        } else if !table.isIdle {
            refusal = (.operationsError, "other operations are outstanding")
        } else if phase == .draining {
            refusal = (.unavailable, "the server is shutting down")
        } else if case .extendedRequest(let request) = message.protocolOp, request.value != nil {
            refusal = (.protocolError, "StartTLS takes no request value")
        } else if services.tlsContext == nil {
            refusal = (.unavailable, "TLS is not configured")
        } else {
            refusal = nil
        }
        if let (code, diagnostic) = refusal {
            respond(to: message, number: number, received: received, code, diagnostic, responseName: StartTLS.oid)
            return
        }
        respond(to: message, number: number, received: received, .success, "", responseName: StartTLS.oid)
        phase = .startingTLS
    }

    /// Puts the TLS handler at the front of the pipeline; bytes that arrived after the StartTLS request go through
    /// it, so nothing after the response is ever taken as plaintext LDAP.
    private func installTLS(context: ChannelHandlerContext) {
        guard let tlsContext = services.tlsContext else {
            closeSilently(reason: "TLS context vanished")
            return
        }
        do {
            try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext), position: .first)
        } catch {
            closeSilently(reason: "cannot start TLS: \(error)")
            return
        }
        info.isTLS = true
        phase = .open
        let early = cumulation
        cumulation = ByteBuffer()
        if early.readableBytes > 0 { context.pipeline.syncOperations.fireChannelRead(NIOAny(early)) }
    }

    // MARK: - Closing

    /// Closes without a word (Unbind, oversize PDU, broken envelope, idle timeout, I/O error).
    private func closeSilently(reason: String) {
        guard phase != .closing else { return }
        closeReason = reason
        phase = .closing
        table.cancelAll()
        gate.close()
        context?.close(promise: nil)
    }

    /// Sends a Notice of Disconnection (RFC 4511 §4.4.1) and closes. The close follows the flush at once, so a
    /// client that does not read cannot keep the connection open.
    private func disconnect(_ code: ResultCode, diagnostic: String, reason: String) {
        guard phase != .closing, let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: 64)
        NoticeOfDisconnection.message(code, diagnosticMessage: diagnostic).write(into: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        closeSilently(reason: reason)
    }

    /// Shutdown, first step: cancel what runs, drop what waits, answer new requests `unavailable`.
    private func beginShutdown() {
        guard phase != .closing else { return }
        phase = .draining
        table.cancelAll()
        gate.wakeAll()
    }

    /// Shutdown, last step.
    private func closeForShutdown() {
        disconnect(.unavailable, diagnostic: "the server is shutting down", reason: "shutdown")
    }

    // MARK: - Idle timeout

    private func scheduleIdleCheck(in delay: TimeAmount) {
        guard let context else { return }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: delay) { bound.value.checkIdle() }
    }

    /// Closes like slapd's `idletimeout`: silently, and only when no operation is outstanding.
    private func checkIdle() {
        guard phase != .closing, let timeout = services.limits.idleTimeout else { return }
        let idleFor = NIODeadline.now() - lastActivity
        if table.isIdle && idleFor >= timeout {
            closeSilently(reason: "idle timeout")
        } else {
            scheduleIdleCheck(in: table.isIdle ? timeout - idleFor : timeout)
        }
    }

    private static func micros(from start: NIODeadline, to end: NIODeadline) -> Int64 {
        (end - start).nanoseconds / 1000
    }
}

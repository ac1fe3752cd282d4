import Foundation
import NIOCore
import NIOSSL

/// One command for ``SMTPClientHandler``: bytes to write (none for the greeting) and where its reply goes.
struct SMTPExchange: Sendable {
    var bytes: [UInt8]
    var reply: EventLoopPromise<SMTPReply>
    /// For STARTTLS: makes the TLS handler, put in place the moment the 220 reply is read (RFC 3207 §5: nothing
    /// the server sent in clear after that reply may be taken as part of the protected session).
    var tlsUpgrade: (@Sendable () throws -> NIOSSLClientHandler)? = nil
}

/// Splits the byte stream into CRLF lines, gathers them into replies and hands each reply to the oldest waiting
/// exchange. The greeting may arrive before anyone waits for it: one early reply is kept for the next exchange;
/// a second one nobody asked for, a malformed line or an overlong one fails the connection.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPExchange
    typealias OutboundOut = ByteBuffer

    /// Where the error that ended the session is kept, for an exchange that starts after it (a TLS handshake
    /// refused while the next command was not yet written).
    let failure: SMTPFailureRecord

    init(failure: SMTPFailureRecord) {
        self.failure = failure
    }

    private var buffer: [UInt8] = []
    private var parser = SMTPReplyParser()
    private var waiting:
        [(reply: EventLoopPromise<SMTPReply>, tlsUpgrade: (@Sendable () throws -> NIOSSLClientHandler)?)] =
            []
    private var early: SMTPReply?
    private var isClosed = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        if isClosed {
            // The session already ended (a TLS handshake refused before the first command): say why at once.
            exchange.reply.fail(failure.recorded ?? SMTPError.connectionClosed(command: ""))
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        if let early, exchange.bytes.isEmpty {
            self.early = nil
            exchange.reply.succeed(early)
            promise?.succeed(())
            return
        }
        waiting.append((exchange.reply, exchange.tlsUpgrade))
        if exchange.bytes.isEmpty {
            promise?.succeed(())
            return
        }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: exchange.bytes)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer += incoming.readBytes(length: incoming.readableBytes) ?? []
        while let end = buffer.firstIndex(of: 10) {
            var line = buffer[..<end]
            if line.last == 13 { line = line.dropLast() }
            let text = String(decoding: line, as: UTF8.self)
            buffer.removeSubrange(...end)
            do {
                guard let reply = try parser.feed(text) else { continue }
                guard !waiting.isEmpty else {
                    guard early == nil else {
                        throw SMTPError.protocolViolation("a reply nobody asked for: \(reply)")
                    }
                    early = reply
                    continue
                }
                if let upgrade = waiting[0].tlsUpgrade, reply.code == 220 {
                    guard buffer.isEmpty else {
                        throw SMTPError.protocolViolation("data in clear after the STARTTLS reply")
                    }
                    try context.pipeline.syncOperations.addHandler(try upgrade(), position: .first)
                }
                waiting.removeFirst().reply.succeed(reply)
            } catch {
                fail(context: context, error)
                return
            }
        }
        if buffer.count > SMTPReplyParser.maximumLineLength {
            fail(context: context, SMTPError.protocolViolation("a reply line longer than 4096 bytes"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        let pending = waiting
        waiting = []
        for exchange in pending { exchange.reply.fail(SMTPError.connectionClosed(command: "")) }
        context.fireChannelInactive()
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        failure.record(error)
        isClosed = true
        let pending = waiting
        waiting = []
        for exchange in pending { exchange.reply.fail(error) }
        context.close(promise: nil)
    }
}

/// The first error that ended a session, shared between the channel handler and the connection.
final class SMTPFailureRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    func record(_ error: any Error) {
        lock.withLock { if self.error == nil { self.error = error } }
    }

    var recorded: (any Error)? { lock.withLock { error } }
}

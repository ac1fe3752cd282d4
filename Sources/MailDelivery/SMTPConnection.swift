import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One SMTP session with the relay (RFC 5321), used for every mail of a run: connect, EHLO, STARTTLS (RFC 3207)
/// and EHLO again, AUTH PLAIN or LOGIN (RFC 4954, only over TLS), then per mail MAIL FROM, RCPT TO, DATA; RSET
/// after a refused mail; QUIT at the end.
///
/// Network I/O runs on its own event loop group (not a server's); callers `await` each step. Not for concurrent
/// use: one mail at a time.
package final class SMTPConnection: @unchecked Sendable {
    private let channel: any Channel
    private let settings: SMTPSettings
    private let failure: SMTPFailureRecord
    /// What the server announced in its last EHLO reply (upper-cased keywords with their parameters).
    private var extensions: [String: [String]] = [:]
    private var isEncrypted = false

    private init(channel: any Channel, settings: SMTPSettings, failure: SMTPFailureRecord) {
        self.channel = channel
        self.settings = settings
        self.failure = failure
    }

    /// Connects, greets, secures and authenticates as `settings` say.
    package static func open(_ settings: SMTPSettings, group: any EventLoopGroup) async throws(SMTPError)
        -> SMTPConnection
    {
        let tlsContext: NIOSSLContext?
        do {
            tlsContext = settings.security == .none ? nil : try makeTLSContext(settings)
        } catch {
            throw .tls("cannot set up TLS: \(error)")
        }
        let implicit = settings.security == .implicitTLS
        let serverName = serverHostname(settings.host)
        let failure = SMTPFailureRecord()
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(Int64(settings.timeoutSeconds)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicit, let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPClientHandler(failure: failure))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: settings.host, port: settings.port).get()
        } catch {
            throw .connectionFailed("\(settings.host):\(settings.port): \(error)")
        }
        let connection = SMTPConnection(channel: channel, settings: settings, failure: failure)
        connection.isEncrypted = implicit
        do {
            try await connection.start(tlsContext: tlsContext)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    private func start(tlsContext: NIOSSLContext?) async throws(SMTPError) {
        try await expect(command: "the greeting", [], accepting: 220)
        try await hello()
        if settings.security == .startTLS, let tlsContext {
            guard extensions["STARTTLS"] != nil else {
                throw .startTLSUnavailable(SMTPReply(code: 250, lines: extensions.keys.sorted()))
            }
            let serverName = Self.serverHostname(settings.host)
            try await expect(command: "STARTTLS", line("STARTTLS"), accepting: 220) {
                try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName)
            }
            isEncrypted = true
            // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
            try await hello()
        }
        if let credentials = settings.credentials {
            try await authenticate(username: credentials.username, password: credentials.password)
        }
    }

    private func hello() async throws(SMTPError) {
        let reply = try await expect(command: "EHLO", line("EHLO \(settings.heloName)"), accepting: 250)
        var found: [String: [String]] = [:]
        for text in reply.lines.dropFirst() {
            let words = text.split(separator: " ").map(String.init)
            guard let keyword = words.first else { continue }
            found[keyword.uppercased()] = Array(words.dropFirst())
        }
        extensions = found
    }

    private func authenticate(username: String, password: String) async throws(SMTPError) {
        guard isEncrypted else {
            throw .authenticationUnavailable("credentials are sent only over TLS (smtp-security is none)")
        }
        let mechanisms = Set((extensions["AUTH"] ?? []).map { $0.uppercased() })
        if mechanisms.contains("PLAIN") {
            let token = MIMEEncoding.base64([0] + Array(username.utf8) + [0] + Array(password.utf8))
            try await expect(command: "AUTH PLAIN", line("AUTH PLAIN " + token), accepting: 235)
        } else if mechanisms.contains("LOGIN") {
            try await expect(command: "AUTH LOGIN", line("AUTH LOGIN"), accepting: 334)
            try await expect(
                command: "AUTH LOGIN (user name)", line(MIMEEncoding.base64(Array(username.utf8))), accepting: 334)
            try await expect(
                command: "AUTH LOGIN (password)", line(MIMEEncoding.base64(Array(password.utf8))), accepting: 235)
        } else {
            let offered = mechanisms.isEmpty ? "none" : mechanisms.sorted().joined(separator: " ")
            throw .authenticationUnavailable("the server offers no AUTH PLAIN or LOGIN (offered: \(offered))")
        }
    }

    /// Sends one mail. A refusal of this mail (recipient, content) leaves the session usable: RSET is sent so
    /// the next mail starts clean; a lost connection is thrown as is.
    package func send(_ message: MailMessage) async throws(SMTPError) {
        guard MailMessage.isUsableAddress(message.from) else { throw .invalidAddress(message.from) }
        guard MailMessage.isUsableAddress(message.to) else { throw .invalidAddress(message.to) }
        do {
            try await expect(command: "MAIL FROM", line("MAIL FROM:<\(message.from)>"), accepting: 250)
            try await expect(command: "RCPT TO", line("RCPT TO:<\(message.to)>"), accepting: 250, 251)
            try await expect(command: "DATA", line("DATA"), accepting: 354)
            try await expect(
                command: "the message (end of DATA)", MIMEEncoding.dotStuffed(message.rendered), accepting: 250)
        } catch {
            if !error.isConnectionLost {
                _ = try? await expect(command: "RSET", line("RSET"), accepting: 250)
            }
            throw error
        }
    }

    /// QUIT (its reply is not needed) and close.
    package func close() async {
        if channel.isActive {
            _ = try? await expect(command: "QUIT", line("QUIT"), accepting: 221)
        }
        try? await channel.close()
    }

    // MARK: - Exchanges

    private func line(_ text: String) -> [UInt8] { Array(text.utf8) + [13, 10] }

    /// Writes `bytes` (none: only waits, for the greeting) and waits for the reply, which must have one of
    /// `codes`; the timeout closes the connection.
    @discardableResult
    private func expect(
        command: String, _ bytes: [UInt8], accepting codes: Int...,
        tlsUpgrade: (@Sendable () throws -> NIOSSLClientHandler)? = nil
    ) async throws(SMTPError) -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let seconds = settings.timeoutSeconds
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) { [channel] in
            promise.fail(SMTPError.timedOut(command: command, seconds: seconds))
            channel.close(promise: nil)
        }
        channel.writeAndFlush(SMTPExchange(bytes: bytes, reply: promise, tlsUpgrade: tlsUpgrade)).whenFailure { error in
            promise.fail(error)
        }
        let reply: SMTPReply
        do {
            reply = try await promise.futureResult.get()
            timeout.cancel()
        } catch {
            timeout.cancel()
            // A closed channel says little: the error that closed it (a refused certificate) says why.
            var cause = error
            if let recorded = failure.recorded, error is ChannelError || Self.isConnectionClosed(error) {
                cause = recorded
            }
            switch cause {
            case let smtp as SMTPError:
                if case .connectionClosed = smtp { throw .connectionClosed(command: command) }
                throw smtp
            case is ChannelError:
                throw .connectionClosed(command: command)
            default:
                throw .tls("\(cause)")
            }
        }
        guard codes.contains(reply.code) else { throw .rejected(command: command, reply: reply) }
        return reply
    }

    private static func isConnectionClosed(_ error: any Error) -> Bool {
        if case .connectionClosed = error as? SMTPError { return true }
        return false
    }

    // MARK: - TLS

    private static func makeTLSContext(_ settings: SMTPSettings) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile = settings.caFile {
            configuration.trustRoots = .file(caFile)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The name for SNI and certificate checks; `nil` for an IP address (NIOSSL then checks the address).
    private static func serverHostname(_ host: String) -> String? {
        if host.contains(":") { return nil }
        if host.split(separator: ".").count == 4, host.allSatisfy({ $0.isNumber || $0 == "." }) { return nil }
        return host
    }
}

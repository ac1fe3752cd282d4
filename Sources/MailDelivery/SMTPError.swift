/// Why sending mail failed, with what a person needs to fix it (the server's reply when there is one).
package enum SMTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The connection could not be made (host, port, refused, TLS set-up).
    case connectionFailed(String)
    /// No reply within the timeout.
    case timedOut(command: String, seconds: Int)
    /// The server closed the connection.
    case connectionClosed(command: String)
    /// The server answered a command with an error reply.
    case rejected(command: String, reply: SMTPReply)
    /// STARTTLS is required but the server does not offer it.
    case startTLSUnavailable(SMTPReply)
    /// Credentials are configured, but the server offers no mechanism we speak (PLAIN, LOGIN) or no TLS.
    case authenticationUnavailable(String)
    /// TLS failed (handshake, certificate verification).
    case tls(String)
    /// The server broke the protocol (malformed reply).
    case protocolViolation(String)
    /// An address that cannot be put in a command (CR, LF, `<`, `>`, not ASCII…).
    case invalidAddress(String)

    /// Whether the connection can go on with the next message (a refused recipient) or is lost.
    package var isConnectionLost: Bool {
        switch self {
        case .rejected(_, let reply): reply.code == 421
        case .invalidAddress: false
        default: true
        }
    }

    package var description: String {
        switch self {
        case .connectionFailed(let reason): "cannot connect to the SMTP server: \(reason)"
        case .timedOut(let command, let seconds): "no reply to \(command) within \(seconds) s"
        case .connectionClosed(let command):
            "the SMTP server closed the connection (waiting for the reply to \(command))"
        case .rejected(let command, let reply): "the SMTP server refused \(command): \(reply)"
        case .startTLSUnavailable(let reply):
            "the SMTP server does not offer STARTTLS (EHLO: \(reply)); set smtp-security to change this"
        case .authenticationUnavailable(let reason): "cannot authenticate: \(reason)"
        case .tls(let reason): "TLS with the SMTP server failed: \(reason)"
        case .protocolViolation(let reason): "the SMTP server broke the protocol: \(reason)"
        case .invalidAddress(let address): "'\(address)' is not a usable mail address"
        }
    }
}

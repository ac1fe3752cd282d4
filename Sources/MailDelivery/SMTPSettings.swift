/// How to reach and talk to the mail relay.
package struct SMTPSettings: Equatable, Sendable {
    /// How the connection is protected.
    package enum Security: String, CaseIterable, Sendable {
        /// Plain connection, then STARTTLS (RFC 3207); the run fails when the server does not offer it.
        case startTLS = "starttls"
        /// TLS from the first byte (RFC 8314 "implicit TLS", port 465).
        case implicitTLS = "tls"
        /// No TLS at all (a relay on the same host); credentials are then never sent.
        case none
    }

    /// Host name or IP address of the relay.
    package var host: String
    /// TCP port (587 submission, 465 implicit TLS, 25).
    package var port: Int
    package var security: Security
    /// PEM file of the authorities that may sign the server's certificate; `nil`: the system's roots.
    package var caFile: String?
    /// User name and password for AUTH PLAIN or LOGIN (sent only over TLS); `nil`: no AUTH.
    package var credentials: (username: String, password: String)?
    /// The name we give in EHLO.
    package var heloName: String
    /// Seconds to wait for the connection and for each reply.
    package var timeoutSeconds: Int

    /// Makes settings.
    package init(
        host: String, port: Int = 587, security: Security = .startTLS, caFile: String? = nil,
        credentials: (username: String, password: String)? = nil, heloName: String = "localhost",
        timeoutSeconds: Int = 30
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.caFile = caFile
        self.credentials = credentials
        self.heloName = heloName
        self.timeoutSeconds = timeoutSeconds
    }

    package static func == (lhs: SMTPSettings, rhs: SMTPSettings) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port && lhs.security == rhs.security && lhs.caFile == rhs.caFile
            && lhs.credentials?.username == rhs.credentials?.username
            && lhs.credentials?.password == rhs.credentials?.password && lhs.heloName == rhs.heloName
            && lhs.timeoutSeconds == rhs.timeoutSeconds
    }
}

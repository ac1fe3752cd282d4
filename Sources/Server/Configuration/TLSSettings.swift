/// Where the server's TLS certificate and key come from, and whether clients must present certificates.
package struct TLSSettings: Hashable, Sendable {
    /// The server's certificate and key.
    package enum Identity: Hashable, Sendable {
        /// No TLS: `ldaps://` listeners cannot start and StartTLS is answered `unavailable`.
        case disabled
        /// PEM files: the certificate chain (leaf first, intermediates after) and the private key.
        case files(certificateChain: String, privateKey: String)
        /// A self-signed pair kept in `DIRECTORY/tls/` (see ``SelfSignedCertificate``), made on first start.
        case selfSigned(dataDirectory: String)
    }

    /// Whether clients present certificates, checked against the PEM CA file.
    package enum ClientCertificates: Hashable, Sendable {
        /// Not asked for.
        case none
        /// Asked for; a client without one is accepted, a presented one must verify against the CA file.
        case optional(caFile: String)
        /// Required and verified against the CA file; the handshake fails without one.
        case required(caFile: String)
    }

    /// The server's certificate and key.
    package var identity: Identity
    /// Client certificate verification.
    package var clientCertificates: ClientCertificates

    /// Makes settings; TLS 1.2 is the minimum and 1.3 is allowed, always.
    package init(identity: Identity, clientCertificates: ClientCertificates = .none) {
        self.identity = identity
        self.clientCertificates = clientCertificates
    }
}

/// `tls-verify-clients`: what the server asks of a TLS client's certificate.
enum ClientCertificateMode: String, CaseIterable, Hashable, Sendable {
    /// No certificate is asked for.
    case none
    /// A certificate is asked for; a client without one is served, one with an untrusted one is refused.
    case optional
    /// A certificate signed by an authority of `tls-ca-file` is required.
    case required
}

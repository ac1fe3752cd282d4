import Directory
import LDAPProtocol
import NIOSSL

/// What every connection of a server shares: the directory, the threads, TLS, the limits and the logs.
struct ConnectionServices: Sendable {
    /// The directory that performs requests.
    let directory: any OperationHandler
    /// The read pool and the writer thread.
    let executor: OperationExecutor
    /// For `ldaps://` and StartTLS; `nil` when TLS is disabled.
    let tlsContext: NIOSSLContext?
    /// The configured limits.
    let limits: ServerLimits
    /// Limits applied while decoding requests.
    let decodingOptions: LDAPDecodingOptions
    /// The access log.
    let accessLog: AccessLog
    /// Open connections, for shutdown.
    let registry: ConnectionRegistry
}

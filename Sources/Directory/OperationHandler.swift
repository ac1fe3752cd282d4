import AccessControl
import LDAPProtocol
import NIOConcurrencyHelpers

/// Who a connection is bound as (RFC 4513 §5: anonymous until a successful Bind says otherwise).
package enum BoundIdentity: Hashable, Sendable {
    /// No bind yet, an anonymous bind, or a failed bind (RFC 4511 §4.2.1: a failed bind leaves the connection
    /// anonymous).
    case anonymous
    /// The configured directory manager (`root-dn`), who is not stored in the tree.
    case rootDN(DistinguishedName)
    /// An entry of the tree, authenticated by its `userPassword`.
    case entry(DistinguishedName)

    /// The bound DN; `nil` when anonymous.
    package var dn: DistinguishedName? {
        switch self {
        case .anonymous: return nil
        case .rootDN(let dn), .entry(let dn): return dn
        }
    }
}

/// What the directory knows of the connection an operation arrives on. The server makes one per connection
/// and updates `isTLS` after StartTLS and `identity` after each Bind.
package struct ConnectionInfo: Sendable {
    /// The connection's number in the access log (1, 2, …, unique per process).
    package var connectionID: UInt64
    /// The peer as `address:port` (IPv6 in brackets).
    package var peer: String
    /// Whether the peer is a loopback address (127.0.0.0/8, ::1).
    package var isLoopback: Bool
    /// Whether the connection is encrypted (LDAPS, or after StartTLS).
    package var isTLS: Bool
    /// Who the connection is bound as.
    package var identity: BoundIdentity
    /// The access-control subject of `identity` (bound DN, groups, values for `match=` rules), built once by
    /// the Bind that set the identity (``OperationOutcome/newAccessSubject``). `nil`, or a subject built for
    /// another identity, makes the directory build it again for each operation (one entry read).
    package var accessSubject: AccessSubject?
    /// The connection's paged-results state (RFC 2696: cookies are bound to the connection); shared by every
    /// operation of the connection, dropped with it.
    package var pagedSearches: PagedSearchRegistry
    /// The password policy's restriction after a Bind answered changeAfterReset (docs/password-policy.md);
    /// shared by every copy, set by Bind, lifted by the person's own password change.
    package var passwordState: ConnectionPasswordState

    /// Makes the state of a new connection: anonymous, with no paged search.
    package init(connectionID: UInt64, peer: String, isLoopback: Bool, isTLS: Bool) {
        self.connectionID = connectionID
        self.peer = peer
        self.isLoopback = isLoopback
        self.isTLS = isTLS
        self.identity = .anonymous
        self.accessSubject = nil
        self.pagedSearches = PagedSearchRegistry()
        self.passwordState = ConnectionPasswordState()
    }
}

/// Set when an operation must stop early: Abandon (RFC 4511 §4.11), the connection closing, shutdown. A running
/// search checks it between entries and stops sending; the server then sends nothing more for it.
package final class OperationCancellation: Sendable {
    private let flag = NIOLockedValueBox(false)

    /// Makes a flag that is not set.
    package init() {}

    /// Sets the flag.
    package func cancel() { flag.withLockedValue { $0 = true } }

    /// Whether the flag is set.
    package var isCancelled: Bool { flag.withLockedValue { $0 } }
}

/// What one operation did, for the access log (never a password or a hash).
package struct AccessLogFields: Sendable {
    /// The operation's name (`BIND`, `SEARCH`, `MOD`…).
    package var operation: String
    /// The DN the operation is about (bind DN, search base, entry), as the client sent it.
    package var dn: String
    /// For searches: scope and filter in RFC 4515 form; empty otherwise.
    package var details: String
    /// The result code sent.
    package var resultCode: ResultCode
    /// For searches: how many entries were sent.
    package var entriesReturned: Int

    /// Makes the fields.
    package init(operation: String, dn: String, details: String = "", resultCode: ResultCode, entriesReturned: Int = 0) {
        self.operation = operation
        self.dn = dn
        self.details = details
        self.resultCode = resultCode
        self.entriesReturned = entriesReturned
    }
}

/// The outcome of one operation: the final response and what the connection must remember.
package struct OperationOutcome: Sendable {
    /// The final response (BindResponse, SearchResultDone, ModifyResponse, ExtendedResponse…), with the
    /// request's messageID and any response controls. `nil` for an operation that has no response (an abandoned
    /// search).
    package var response: LDAPMessage?
    /// The connection's identity after the operation: set by every Bind (anonymous when it failed), `nil`
    /// when the operation does not change it.
    package var newIdentity: BoundIdentity?
    /// The access-control subject of `newIdentity`, for the server to keep in ``ConnectionInfo/accessSubject``
    /// with it (set by every successful Bind).
    package var newAccessSubject: AccessSubject?
    /// What the access log records.
    package var log: AccessLogFields

    /// Makes an outcome.
    package init(
        response: LDAPMessage?, newIdentity: BoundIdentity? = nil, newAccessSubject: AccessSubject? = nil,
        log: AccessLogFields
    ) {
        self.response = response
        self.newIdentity = newIdentity
        self.newAccessSubject = newAccessSubject
        self.log = log
    }
}

/// The directory's side of the protocol: everything a request means, once the server has framed and decoded it.
///
/// The server handles the connection-level messages itself — Unbind, Abandon, StartTLS, framing errors — and
/// hands every other request here. Methods block (LMDB, password hashing): the server calls them on its thread
/// pools, never on an event loop; requests for which ``isWrite(_:)`` is true go through its single writer.
package protocol OperationHandler: Sendable {
    /// Whether the request changes the directory (Add, Delete, Modify, ModifyDN, Password Modify…).
    func isWrite(_ message: LDAPMessage) -> Bool

    /// Performs one request. Search entries and references go out through `send`, in order, before the final
    /// response, which is returned; `cancellation` is checked between entries.
    func perform(
        _ message: LDAPMessage,
        connection: ConnectionInfo,
        cancellation: OperationCancellation,
        send: (LDAPMessage) -> Void
    ) -> OperationOutcome
}

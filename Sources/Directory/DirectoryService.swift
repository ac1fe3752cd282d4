import AccessControl
import LDAPProtocol
import Logging
import NIOCore
import Schema
import Storage

/// The directory: every LDAP operation the server hands over (``OperationHandler``), over a ``DirectoryStore``,
/// with the semantics of RFC 4511 and the behaviour of OpenLDAP 2.5's slapd with back-mdb where the RFCs leave
/// a choice (docs/operations-semantics.md lists those choices).
///
/// Every method blocks (LMDB, password hashing) and is safe to call from any thread; the caller serializes the
/// requests for which ``isWrite(_:)`` is true, so a write may read the entry it changes before changing it.
package final class DirectoryService: OperationHandler {
    /// The store the entries live in.
    package let store: DirectoryStore
    /// The configuration the service was made with.
    package let configuration: DirectoryConfiguration

    let context: SchemaContext
    let logger: Logger
    let comparator: DNComparator
    let verifier = PasswordVerifier()
    let changeNumbers = ChangeSequenceNumbers()
    let operational: OperationalTypes
    let subschema: SubschemaEntry
    let rootDSE: RootDSE
    /// The access-control rules in force (``DirectoryConfiguration/accessPolicy``, or unrestricted).
    let policy: AccessPolicy
    /// Issued reset codes and rate-limit counters of the self-service reset (docs/password-reset.md).
    let selfServiceResetState = SelfServiceResetState()

    /// Makes the service over `store` (whose schema and naming contexts it uses) with `configuration`.
    package init(
        store: DirectoryStore,
        configuration: DirectoryConfiguration,
        logger: Logger = Logger(label: "annuaire.directory")
    ) {
        self.store = store
        self.configuration = configuration
        self.context = store.context
        self.logger = logger
        self.comparator = DNComparator(context: store.context)
        self.operational = OperationalTypes(context: store.context)
        let started = GeneralizedTimeFormatter.seconds(configuration.clock.microsecondsSince1970())
        self.subschema = SubschemaEntry(context: store.context, timestamp: started)
        self.rootDSE = RootDSE(configuration: configuration)
        self.policy = configuration.accessPolicy ?? AccessPolicy.unrestricted(context: store.context)
    }

    /// Whether the request changes the directory: Add, Delete, Modify, ModifyDN, Password Modify and the
    /// self-service reset.
    package func isWrite(_ message: LDAPMessage) -> Bool {
        switch message.protocolOp {
        case .addRequest, .delRequest, .modifyRequest, .modifyDNRequest: return true
        case .extendedRequest(let request):
            let name = String(buffer: request.name)
            return name == PasswordModifyRequest.oid || name == PasswordResetRequest.oid
        default: return false
        }
    }

    /// Performs one request (see ``OperationHandler/perform(_:connection:cancellation:send:)``).
    package func perform(
        _ message: LDAPMessage,
        connection: ConnectionInfo,
        cancellation: OperationCancellation,
        send: (LDAPMessage) -> Void
    ) -> OperationOutcome {
        let request = Request(message: message, connection: connection)
        // After a Bind answered changeAfterReset, only the password change may pass (docs/password-policy.md).
        if let refused = restrictionRefusal(message, request) { return refused }
        switch message.protocolOp {
        case .bindRequest(let bind):
            var outcome = self.bind(bind, request)
            // The subject is built once here and kept by the connection (unless Bind built it already).
            if let identity = outcome.newIdentity, outcome.newAccessSubject == nil {
                outcome.newAccessSubject = accessSubject(for: identity, entry: nil)
            }
            return outcome
        case .searchRequest(let search):
            return self.search(search, request, cancellation: cancellation, send: send)
        case .compareRequest(let compare):
            return self.compare(compare, request)
        case .addRequest(let add):
            return self.add(add, request)
        case .delRequest(let dn):
            return self.delete(dn, request)
        case .modifyRequest(let modify):
            return self.modify(modify, request)
        case .modifyDNRequest(let modifyDN):
            return self.modifyDN(modifyDN, request)
        case .extendedRequest(let extended):
            return self.extended(extended, request)
        default:
            // Unbind, Abandon and responses are the server's; nothing to answer here.
            let log = AccessLogFields(operation: message.protocolOp.name, dn: "", resultCode: .protocolError)
            return OperationOutcome(response: nil, log: log)
        }
    }

    // MARK: - Shared helpers

    /// The final response of `kind` carrying `result` and `controls`.
    func response(
        _ kind: OperationKind, _ request: Request, _ result: LDAPResult, controls: [LDAPControl] = []
    ) -> LDAPMessage {
        let operation: ProtocolOperation
        switch kind {
        case .bind: operation = .bindResponse(BindResponse(result: result))
        case .search: operation = .searchResultDone(result)
        case .compare: operation = .compareResponse(result)
        case .add: operation = .addResponse(result)
        case .delete: operation = .delResponse(result)
        case .modify: operation = .modifyResponse(result)
        case .modifyDN: operation = .modifyDNResponse(result)
        case .extended: operation = .extendedResponse(ExtendedResponse(result: result))
        }
        return LDAPMessage(messageID: request.message.messageID, protocolOp: operation, controls: controls)
    }

    /// The outcome of a failed operation of `kind` on `dn`.
    func failure(
        _ kind: OperationKind, _ request: Request, dn: String, _ error: OperationError,
        newIdentity: BoundIdentity? = nil
    ) -> OperationOutcome {
        if error.resultCode == .other {
            logger.error("\(kind.rawValue) '\(dn)' failed: \(error.message)")
        }
        return OperationOutcome(
            response: response(kind, request, error.result), newIdentity: newIdentity,
            log: AccessLogFields(operation: kind.rawValue, dn: dn, resultCode: error.resultCode))
    }

    /// Parses a DN the client sent; invalidDNSyntax naming `what` when it does not parse.
    func parseDN(_ bytes: ByteBuffer, _ what: String) throws(OperationError) -> DistinguishedName {
        do {
            return try DistinguishedName(utf8: bytes)
        } catch {
            throw OperationError.invalidDN(what)
        }
    }

    /// Whether `identity` is the configured root DN.
    func isRoot(_ identity: BoundIdentity) -> Bool {
        if case .rootDN = identity { return true }
        return false
    }
}

/// One request with the connection it arrived on.
struct Request {
    let message: LDAPMessage
    let connection: ConnectionInfo
}

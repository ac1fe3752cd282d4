import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// Bind (RFC 4511 §4.2, RFC 4513 §5): LDAPv3 only (protocolError), simple only (SASL: authMethodNotSupported).
    /// Empty name and password: anonymous. A name without password is an unauthenticated bind, refused with
    /// unwillingToPerform (RFC 4513 §5.1.2, slapd's default). A password over a connection that is neither TLS
    /// nor loopback: confidentialityRequired when configured. The root DN checks the configured password, any
    /// other name the entry's `userPassword` values; an unknown name, an entry without password and a wrong
    /// password all get the same invalidCredentials. Every bind sets the identity: anonymous when it fails.
    func bind(_ bind: BindRequest, _ request: Request) -> OperationOutcome {
        let nameText = String(buffer: bind.name)
        // A bind ends the paged searches of the previous identity.
        request.connection.pagedSearches.removeAll()
        do throws(OperationError) {
            guard bind.version == 3 else {
                throw OperationError(.protocolError, "requested protocol version not supported")
            }
            _ = try RequestControls(request.message.controls, for: .bind)
            guard case .simple(let passwordBuffer) = bind.authentication else {
                throw OperationError(.authMethodNotSupported, "SASL mechanisms are not supported")
            }
            let password = Array(buffer: passwordBuffer)
            if bind.name.readableBytes == 0 {
                guard password.isEmpty else { throw Self.invalidCredentials }
                return bound(.anonymous, request, dn: nameText)
            }
            let name = try parseDN(bind.name, "the bind name")
            guard !password.isEmpty else {
                throw OperationError(.unwillingToPerform, "unauthenticated bind (DN with no password) disallowed")
            }
            let connection = request.connection
            if configuration.refusesCleartextPasswordBinds && !connection.isTLS && !connection.isLoopback {
                throw OperationError(
                    .confidentialityRequired, "simple binds with a password require TLS (ldaps:// or StartTLS)")
            }
            if let rootDN = configuration.rootDN, comparator.same(name, rootDN) {
                guard let rootPassword = configuration.rootPassword, !rootPassword.isEmpty,
                    verifier.verify(password, against: Array(rootPassword.utf8))
                else {
                    throw Self.invalidCredentials
                }
                return bound(.rootDN(rootDN), request, dn: nameText)
            }
            let entry: Entry?
            do {
                entry = try store.entry(dn: name)
            } catch {
                // A name the store cannot even key (bad value for its type) names no entry.
                guard error.resultCode == .other else { throw Self.invalidCredentials }
                throw OperationError(error)
            }
            guard let entry, let passwordType = operational.userPassword else { throw Self.invalidCredentials }
            let stored = entry.attributes.filter { attribute in
                context.attributeType(named: attribute.description.type)?.isSubtype(of: passwordType.id) ?? false
            }.flatMap(\.values)
            guard stored.contains(where: { verifier.verify(password, against: $0) }) else {
                throw Self.invalidCredentials
            }
            return bound(.entry(entry.dn), request, dn: nameText)
        } catch {
            return failure(.bind, request, dn: nameText, error, newIdentity: .anonymous)
        }
    }

    /// The one answer for an unknown name, an entry without password and a wrong password.
    static let invalidCredentials = OperationError(.invalidCredentials, "invalid credentials")

    private func bound(_ identity: BoundIdentity, _ request: Request, dn: String) -> OperationOutcome {
        OperationOutcome(
            response: response(.bind, request, LDAPResult(.success)), newIdentity: identity,
            log: AccessLogFields(operation: "BIND", dn: dn, resultCode: .success))
    }
}

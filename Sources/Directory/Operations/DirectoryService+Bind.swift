import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// Bind (RFC 4511 §4.2, RFC 4513 §5): LDAPv3 only (protocolError), simple only (SASL: authMethodNotSupported).
    /// Empty name and password: anonymous. A name without password is an unauthenticated bind, refused with
    /// unwillingToPerform (RFC 4513 §5.1.2, slapd's default). A password over a connection that is neither TLS
    /// nor loopback: confidentialityRequired when configured. The root DN checks the configured password, any
    /// other name the entry's `userPassword` values. Every bind sets the identity: anonymous when it fails.
    ///
    /// The name is a DN, or — with ``DirectoryConfiguration/bindIdentifierMapping`` — a bare sign-in identifier
    /// (`jdupont-xt`, domain.md D1) resolved to one entry in the same operation; the bind is then the bind of
    /// that entry's DN, and Who am I? answers it.
    ///
    /// Domain.md D8: an unknown name or identifier, an ambiguous identifier, an entry without password and a
    /// wrong password all get the same invalidCredentials, after the same password verification work (a decoy
    /// hash stands in when there is no stored password to check), so neither the answer nor its delay says
    /// whether a name exists. A successful bind may re-hash a stored value in an older scheme
    /// (``PasswordStorage/rehashOnBind``).
    func bind(_ bind: BindRequest, _ request: Request) -> OperationOutcome {
        let nameText = String(buffer: bind.name)
        // A bind ends the paged searches of the previous identity, and its password restriction.
        request.connection.pagedSearches.removeAll()
        request.connection.passwordState.setMustChangePassword(false)
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
            let identifier = configuration.bindIdentifierMapping.identifier(in: Array(buffer: bind.name))
            let name = identifier == nil ? try parseDN(bind.name, "the bind name") : nil
            guard !password.isEmpty else {
                throw OperationError(.unwillingToPerform, "unauthenticated bind (DN with no password) disallowed")
            }
            let connection = request.connection
            if configuration.refusesCleartextPasswordBinds && !connection.isTLS && !connection.isLoopback {
                throw OperationError(
                    .confidentialityRequired, "simple binds with a password require TLS (ldaps:// or StartTLS)")
            }
            if let name, let rootDN = configuration.rootDN, comparator.same(name, rootDN) {
                guard let rootPassword = configuration.rootPassword, !rootPassword.isEmpty,
                    verifier.verify(password, against: Array(rootPassword.utf8))
                else {
                    throw Self.invalidCredentials
                }
                return bound(.rootDN(rootDN), request, dn: nameText)
            }
            var entry: Entry?
            if let identifier {
                entry = try self.entry(forIdentifier: identifier)
            } else if let name {
                entry = try self.entry(named: name)
            }
            // Access control: `auth` on the entry's userPassword. A refusal answers exactly like a wrong password,
            // decoy verification included (domain.md D8).
            if let found = entry, !mayAuthenticate(found) { entry = nil }
            return try authenticate(entry, password: password, request, nameText: nameText, resolved: identifier != nil)
        } catch {
            return failure(.bind, request, dn: nameText, error, newIdentity: .anonymous)
        }
    }

    /// The one answer for an unknown name, an ambiguous identifier, an entry without password and a wrong
    /// password.
    static let invalidCredentials = OperationError(.invalidCredentials, "invalid credentials")

    /// The bound entry when `password` matches one of `entry`'s passwords; invalidCredentials otherwise, after
    /// checking the decoy when there is nothing to check. `resolved`: the name was an identifier, and the access
    /// log says which DN it stood for.
    private func authenticate(
        _ entry: Entry?, password: [UInt8], _ request: Request, nameText: String, resolved: Bool
    ) throws(OperationError) -> OperationOutcome {
        let stored = entry.map(storedPasswords) ?? []
        guard let entry, !stored.isEmpty else {
            decoyVerification(password)
            return refusedBind(request, dn: nameText)
        }
        let matched = stored.first(where: { verifier.verify(password, against: $0) })
        // The password policy (docs/password-policy.md): lockout, expiry, grace, changeAfterReset.
        var warning: PasswordPolicyResponse.Warning?
        var mustChange = false
        if let policy = passwordPolicy(for: entry) {
            let decided = policyBind(entry, policy, matched: matched, password: password, request, nameText: nameText)
            if let refused = decided.outcome { return refused }
            warning = decided.warning
            mustChange = decided.mustChange
        }
        guard let matched else { return refusedBind(request, dn: nameText) }
        // A value in an older scheme (an {SSHA} from slapcat) moves to the configured one (docs/passwords.md).
        rehashAfterBind(entry, matched: matched, password: password)
        request.connection.passwordState.setMustChangePassword(mustChange)
        var outcome = bound(.entry(entry.dn), request, dn: nameText, entry: entry, resolved: resolved)
        let controls = policyControls(request, warning: warning, error: mustChange ? .changeAfterReset : nil)
        outcome.response?.controls = controls
        return outcome
    }

    /// The `userPassword` values (and its subtypes') of `entry`.
    private func storedPasswords(_ entry: Entry) -> [[UInt8]] {
        guard let passwordType = operational.userPassword else { return [] }
        return entry.attributes.filter { attribute in
            context.attributeType(named: attribute.description.type)?.isSubtype(of: passwordType.id) ?? false
        }.flatMap(\.values)
    }

    /// The entry named `name`; `nil` when there is none, or when the name cannot even be keyed (a bad value
    /// for its type names no entry).
    private func entry(named name: DistinguishedName) throws(OperationError) -> Entry? {
        do {
            return try store.entry(dn: name)
        } catch {
            guard error.resultCode == .other else { return nil }
            throw OperationError(error)
        }
    }

    /// The one entry `identifier` stands for under ``DirectoryConfiguration/bindIdentifierMapping``; `nil` when
    /// no lookup finds any or the first that finds some finds several. Every lookup runs, whatever the earlier
    /// ones found, so the work does not depend on which identifiers exist.
    private func entry(forIdentifier identifier: String) throws(OperationError) -> Entry? {
        let mapping = configuration.bindIdentifierMapping
        var decided: [Entry]?
        for lookup in mapping.lookups {
            let found = try entries(matching: mapping.filter(lookup, identifier: identifier))
            if decided == nil, !found.isEmpty { decided = found }
        }
        guard let decided, decided.count == 1 else { return nil }
        return decided.first
    }

    /// Up to two distinct entries of the naming contexts matching `filter` (two already mean ambiguous).
    private func entries(matching filter: Filter) throws(OperationError) -> [Entry] {
        var found: [Entry] = []
        for base in store.namingContexts {
            let result: SearchResult
            do {
                result = try store.search(base: base, scope: .wholeSubtree, filter: filter, sizeLimit: 2)
            } catch {
                // A naming context not created yet holds nobody.
                guard error.resultCode == .other else { continue }
                throw OperationError(error)
            }
            for (_, entry) in result.entries where !found.contains(where: { comparator.same($0.dn, entry.dn) }) {
                found.append(entry)
            }
            if found.count > 1 { break }
        }
        return found
    }

    /// The successful outcome of a bind as `identity`; `resolved`: the access log adds `bound="DN"` after an
    /// identifier. `entry` is the bound entry when there is one, read anyway to check the password: the place
    /// to build the connection's access-control subject (`newAccessSubject`) without reading it again.
    private func bound(
        _ identity: BoundIdentity, _ request: Request, dn: String, entry: Entry? = nil, resolved: Bool = false
    ) -> OperationOutcome {
        let details = resolved ? identity.dn.map { "bound=\"\($0)\"" } ?? "" : ""
        return OperationOutcome(
            response: response(.bind, request, LDAPResult(.success)), newIdentity: identity,
            newAccessSubject: accessSubject(for: identity, entry: entry),
            log: AccessLogFields(operation: "BIND", dn: dn, details: details, resultCode: .success))
    }
}

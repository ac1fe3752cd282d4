import AccessControl
import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// Extended operations: Who am I? (RFC 4532), Password Modify (RFC 3062) and, when configured, the
    /// self-service reset's two (docs/password-reset.md). StartTLS is the server's and
    /// never arrives here (protocolError if it does); any other name is a protocolError (RFC 4511 §4.12, slapd).
    func extended(_ extended: ExtendedRequest, _ request: Request) -> OperationOutcome {
        let name = String(buffer: extended.name)
        let trail = auditTrail(forExtended: extended, request)
        do throws(OperationError) {
            _ = try RequestControls(request.message.controls, for: .extended)
            switch name {
            case WhoAmI.oid:
                let authorizationID = request.connection.identity.dn.map { "dn:\($0)" } ?? ""
                return OperationOutcome(
                    response: LDAPMessage(
                        messageID: request.message.messageID,
                        protocolOp: .extendedResponse(WhoAmI.response(authorizationID: authorizationID))),
                    log: AccessLogFields(operation: "EXT", dn: name, details: "whoami", resultCode: .success))
            case PasswordModifyRequest.oid:
                return try passwordModify(extended, request, trail)
            case PasswordResetCodeRequest.oid:
                guard let settings = configuration.selfServiceReset else {
                    throw OperationError(.protocolError, "unsupported extended operation")
                }
                return try requestResetCode(extended, request, settings)
            case PasswordResetRequest.oid:
                guard let settings = configuration.selfServiceReset else {
                    throw OperationError(.protocolError, "unsupported extended operation")
                }
                return resetPasswordWithCode(extended, request, settings)
            case StartTLS.oid:
                throw OperationError(.protocolError, "StartTLS is handled by the connection")
            default:
                throw OperationError(.protocolError, "unsupported extended operation")
            }
        } catch {
            return audited(failure(.extended, request, dn: name, error), trail)
        }
    }

    /// Password Modify (RFC 3062): anonymous → strongerAuthRequired; the target (userIdentity, or the bound
    /// entry) must be visible (noSuchObject otherwise) and the access policy must grant `write` on its
    /// userPassword (insufficientAccessRights otherwise): a person's own, a correspondent's reset; the root DN
    /// anyone's. A wrong oldPasswd from a non-root user → unwillingToPerform (slapd's answers). Without newPasswd
    /// a password is generated and returned (genPasswd). Stored hashed with ``DirectoryConfiguration/passwordStorage``'s
    /// scheme (`{ARGON2}` by default; a pre-hashed newPasswd from a user: constraintViolation) in one transaction
    /// with modifyTimestamp and modifiersName.
    private func passwordModify(
        _ extended: ExtendedRequest, _ request: Request, _ trail: AuditTrail?
    ) throws(OperationError)
        -> OperationOutcome
    {
        let parsed: PasswordModifyRequest
        do {
            parsed = try PasswordModifyRequest(requestValue: extended.value)
        } catch {
            throw OperationError(.protocolError, "the password modify request is malformed")
        }
        let identity = request.connection.identity
        if case .anonymous = identity {
            throw OperationError(.strongerAuthRequired, "only authenticated users may change passwords")
        }
        let target: DistinguishedName
        if let userIdentity = parsed.userIdentity {
            var text = String(buffer: userIdentity)
            if text.lowercased().hasPrefix("dn:") { text = String(text.dropFirst(3)) }
            do {
                target = try DistinguishedName(text)
            } catch {
                throw OperationError.invalidDN("userIdentity")
            }
        } else if case .entry(let own) = identity {
            target = own
        } else {
            throw OperationError(.unwillingToPerform, "the root DN has no entry: name one with userIdentity")
        }
        let isRootUser = isRoot(identity)
        let subject = subject(of: request.connection)
        let found: (entry: Entry, children: Int, access: EntryAccess)
        do throws(OperationError) {
            found = try visibleEntry(target, subject: subject)
        } catch where error.resultCode == .noSuchObject {
            // slapd names no matched DN here: the target is an identity, not a place in the tree.
            throw OperationError(.noSuchObject, error.message)
        }
        if let passwordType = operational.userPassword {
            try require(.write, .type(passwordType), in: found.access, "the password of '\(target)'")
        }
        if let old = parsed.oldPassword, !isRootUser {
            let entry = found.entry
            let stored = entry.attributes.filter { attribute in
                context.attributeType(named: attribute.description.type).map(operational.isPassword) ?? false
            }.flatMap(\.values)
            guard stored.contains(where: { verifier.verify(Array(buffer: old), against: $0) }) else {
                throw OperationError(.unwillingToPerform, "unwilling to verify old password")
            }
        }
        // The password policy and D8 (docs/password-policy.md); a generated password is not quality-checked.
        var policyChanges: [Modification] = []
        do throws(PolicyRefusal) {
            policyChanges = try passwordChange(
                of: found.entry, newPasswords: parsed.newPassword.map { [Array(buffer: $0)] } ?? [], by: identity,
                kind: .change(oldSupplied: parsed.oldPassword != nil))
        } catch {
            return audited(policyFailure(.extended, request, dn: PasswordModifyRequest.oid, error), trail)
        }
        let generated = parsed.newPassword == nil ? PasswordHasher.generatedPassword() : nil
        let newPassword = parsed.newPassword.map { Array(buffer: $0) } ?? generated ?? []
        // Hashed with the configured scheme; a {SCHEME} value only from the root DN or with the allowance.
        let hashed = try PasswordHasher.stored(
            newPassword, storage: configuration.passwordStorage, mayStorePrehashed: mayStorePrehashed(identity))
        let changes =
            [Modification(.replace, EntryAttribute(description: AttributeDescription("userPassword"), values: [hashed]))]
            + policyChanges + stamp(by: identity).modifications
        do {
            try storeCall(auditing: trail) { () throws(StoreError) in
                try store.modify(
                    dn: target, changes: changes, validation: .serverWrite, beforeCommit: trail?.beforeCommit)
            }
        } catch where error.resultCode == .noSuchObject {
            // slapd names no matched DN here: the target is an identity, not a place in the tree.
            throw OperationError(.noSuchObject, error.message)
        }
        // The person's own change lifts a changeAfterReset restriction on this connection.
        if isSelf(identity, target) { request.connection.passwordState.setMustChangePassword(false) }
        let result = PasswordModifyResponse(generatedPassword: generated.map { ByteBuffer(bytes: $0) })
        return OperationOutcome(
            response: LDAPMessage(
                messageID: request.message.messageID, protocolOp: .extendedResponse(result.response())),
            log: AccessLogFields(
                operation: "EXT", dn: PasswordModifyRequest.oid, details: "passwd \(target)", resultCode: .success))
    }
}

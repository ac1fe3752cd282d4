import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// Extended operations: Who am I? (RFC 4532) and Password Modify (RFC 3062). StartTLS is the server's and
    /// never arrives here (protocolError if it does); any other name is a protocolError (RFC 4511 §4.12, slapd).
    func extended(_ extended: ExtendedRequest, _ request: Request) -> OperationOutcome {
        let name = String(buffer: extended.name)
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
                return try passwordModify(extended, request)
            case StartTLS.oid:
                throw OperationError(.protocolError, "StartTLS is handled by the connection")
            default:
                throw OperationError(.protocolError, "unsupported extended operation")
            }
        } catch {
            return failure(.extended, request, dn: name, error)
        }
    }

    /// Password Modify (RFC 3062): anonymous → strongerAuthRequired; an entry changes its own password (the
    /// root DN anyone's, named by userIdentity); a wrong oldPasswd from a non-root user → unwillingToPerform
    /// (slapd's answers). Without newPasswd a password is generated and returned (genPasswd). Stored as
    /// `{SSHA}` in one transaction with modifyTimestamp and modifiersName.
    private func passwordModify(_ extended: ExtendedRequest, _ request: Request) throws(OperationError)
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
        if !isRootUser, let own = identity.dn, !comparator.same(own, target) {
            throw OperationError(.insufficientAccessRights, "no write access to the password of '\(target)'")
        }
        if let old = parsed.oldPassword, !isRootUser {
            let entry = try storeCall { () throws(StoreError) in try store.entryWithChildCount(dn: target) }.entry
            let stored = entry.attributes.filter { attribute in
                context.attributeType(named: attribute.description.type).map(operational.isPassword) ?? false
            }.flatMap(\.values)
            guard stored.contains(where: { verifier.verify(Array(buffer: old), against: $0) }) else {
                throw OperationError(.unwillingToPerform, "unwilling to verify old password")
            }
        }
        let generated = parsed.newPassword == nil ? PasswordHasher.generatedPassword() : nil
        let newPassword = parsed.newPassword.map { Array(buffer: $0) } ?? generated ?? []
        let hashed = PasswordHasher.ssha(newPassword)
        let changes =
            [Modification(.replace, EntryAttribute(description: AttributeDescription("userPassword"), values: [hashed]))]
            + stamp(by: identity).modifications
        do {
            try storeCall { () throws(StoreError) in
                try store.modify(dn: target, changes: changes, validation: .serverWrite)
            }
        } catch where error.resultCode == .noSuchObject {
            // slapd names no matched DN here: the target is an identity, not a place in the tree.
            throw OperationError(.noSuchObject, error.message)
        }
        let result = PasswordModifyResponse(generatedPassword: generated.map { ByteBuffer(bytes: $0) })
        return OperationOutcome(
            response: LDAPMessage(
                messageID: request.message.messageID, protocolOp: .extendedResponse(result.response())),
            log: AccessLogFields(
                operation: "EXT", dn: PasswordModifyRequest.oid, details: "passwd \(target)", resultCode: .success))
    }
}

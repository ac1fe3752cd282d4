import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// slapd's message for an operation refused on a connection that must change its password first.
    static let restrictedMessage = "Operations are restricted to bind/unbind/abandon/StartTLS/modify password"

    /// The refusal of `message` on a connection whose Bind answered changeAfterReset (draft-behera-10 §8.1.2.2,
    /// slapd's ppolicy_restrict): everything but Bind, Who am I? and the person's own password change (Password
    /// Modify of self, or a Modify of the bound entry that only touches userPassword) is refused with
    /// insufficientAccessRights, the control saying changeAfterReset when asked for on an Add, a Modify or a
    /// Password Modify (as slapd). `nil`: let it through.
    /// Unbind, Abandon and StartTLS never reach the directory.
    func restrictionRefusal(_ message: LDAPMessage, _ request: Request) -> OperationOutcome? {
        guard request.connection.passwordState.mustChangePassword else { return nil }
        let identity = request.connection.identity
        let kind: OperationKind
        // slapd 2.5 knows the request control on Add, Modify and Password Modify only (and Bind): on the other
        // operations it ignores it, and answers without the response control. Same here.
        var controlKnown = false
        switch message.protocolOp {
        case .bindRequest:
            return nil
        case .extendedRequest(let extended):
            let name = String(buffer: extended.name)
            if name == WhoAmI.oid { return nil }
            if name == PasswordModifyRequest.oid {
                if isOwnPasswordModify(extended, identity) { return nil }
                controlKnown = true
            }
            kind = .extended
        case .modifyRequest(let modify):
            if let dn = try? DistinguishedName(utf8: modify.object), isSelf(identity, dn),
                !modify.changes.isEmpty,
                modify.changes.allSatisfy({ isPasswordAttribute(AttributeDescription(String(buffer: $0.modification.type))) })
            {
                return nil
            }
            kind = .modify
            controlKnown = true
        case .searchRequest: kind = .search
        case .compareRequest: kind = .compare
        case .addRequest:
            kind = .add
            controlKnown = true
        case .delRequest: kind = .delete
        case .modifyDNRequest: kind = .modifyDN
        default: return nil
        }
        let refusal = PolicyRefusal(
            .insufficientAccessRights, Self.restrictedMessage, controlKnown ? .changeAfterReset : nil)
        return policyFailure(kind, request, dn: "", refusal)
    }

    /// Whether a Password Modify names the bound entry (no userIdentity, or its own DN).
    private func isOwnPasswordModify(_ extended: ExtendedRequest, _ identity: BoundIdentity) -> Bool {
        guard let parsed = try? PasswordModifyRequest(requestValue: extended.value) else { return true }
        guard let userIdentity = parsed.userIdentity else { return true }
        var text = String(buffer: userIdentity)
        if text.lowercased().hasPrefix("dn:") { text = String(text.dropFirst(3)) }
        guard let dn = try? DistinguishedName(text) else { return false }
        return isSelf(identity, dn)
    }
}

import LDAPProtocol
import Schema

extension DirectoryService {
    /// The interim write policy, until the access-control issue: anonymous writes are refused with
    /// strongerAuthRequired ("modifications require authentication", what slapd answers before any access
    /// control); the root DN writes anything; an entry may modify its own entry, except operational attributes,
    /// and nothing else (insufficientAccessRights, as slapd's default read-only policy answers bound users).
    func authorizeWrite(
        _ kind: OperationKind, target: DistinguishedName, identity: BoundIdentity, touchesOperational: Bool = false
    ) throws(OperationError) {
        switch identity {
        case .anonymous:
            throw OperationError(.strongerAuthRequired, "modifications require authentication")
        case .rootDN:
            return
        case .entry(let bound):
            guard kind == .modify, comparator.same(bound, target), !touchesOperational else {
                throw OperationError(.insufficientAccessRights, "no write access to '\(target)'")
            }
        }
    }

    /// constraintViolation for an attribute of a NO-USER-MODIFICATION type sent by a client (RFC 4512 §4.1.2),
    /// with slapd's message.
    func refuseNoUserModification(_ descriptions: [AttributeDescription]) throws(OperationError) {
        for description in descriptions {
            if let type = context.attributeType(named: description.type), type.isNoUserModification {
                throw OperationError(.constraintViolation, "\(description.type): no user modification allowed")
            }
        }
    }
}

import LDAPProtocol
import Schema

extension DirectoryService {
    /// Anonymous writes are refused with strongerAuthRequired ("modifications require authentication"), what
    /// slapd answers before consulting its access rules; everything else is the access policy's.
    func refuseAnonymousWrite(_ identity: BoundIdentity) throws(OperationError) {
        if case .anonymous = identity {
            throw OperationError(.strongerAuthRequired, "modifications require authentication")
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

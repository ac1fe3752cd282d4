import LDAPProtocol
import NIOCore
import Storage

/// How the write paths use the audit trail (docs/audit.md). Each write makes its ``AuditTrail`` from the request
/// before doing anything, passes `trail.beforeCommit` to the store's write, calls the store through
/// ``storeCall(auditing:_:)`` and returns every failure through ``audited(_:_:)``:
///
/// ```swift
/// let trail = auditTrail(for: add, request)
/// try storeCall(auditing: trail) { () throws(StoreError) in
///     try store.add(entry, validation: .serverWrite, beforeCommit: trail.beforeCommit)
/// }
/// …
/// } catch {
///     return audited(failure(.add, request, dn: dnText, error), trail)
/// }
/// ```
extension DirectoryService {
    /// The trail of an Add: the attribute types the client sent.
    func auditTrail(for add: AddRequest, _ request: Request) -> AuditTrail {
        let types = add.attributes.map { String(buffer: $0.type) }
        return auditTrail(.add, request, target: String(buffer: add.entry), attributes: types)
    }

    /// The trail of a Delete.
    func auditTrail(forDelete dn: ByteBuffer, _ request: Request) -> AuditTrail {
        auditTrail(.delete, request, target: String(buffer: dn), attributes: [])
    }

    /// The trail of a Modify: the attribute types the changes name.
    func auditTrail(for modify: ModifyRequest, _ request: Request) -> AuditTrail {
        let types = modify.changes.map { String(buffer: $0.modification.type) }
        return auditTrail(.modify, request, target: String(buffer: modify.object), attributes: types)
    }

    /// The trail of a ModifyDN: the new DN (when the request's names parse) and the naming attributes that
    /// change (the new RDN's types, and the old RDN's when deleteOldRDN).
    func auditTrail(for modifyDN: ModifyDNRequest, _ request: Request) -> AuditTrail {
        let dn = try? DistinguishedName(utf8: modifyDN.entry)
        let newRDN = (try? DistinguishedName(utf8: modifyDN.newRDN)).flatMap { $0.rdns.count == 1 ? $0.rdn : nil }
        let superior: DistinguishedName?
        if let buffer = modifyDN.newSuperior {
            superior = try? DistinguishedName(utf8: buffer)
        } else {
            superior = dn?.parent()
        }
        var types = newRDN?.attributes.map(\.type) ?? []
        if modifyDN.deleteOldRDN { types += dn?.rdn?.attributes.map(\.type) ?? [] }
        var record = auditRecord(.modifyDN, request, target: String(buffer: modifyDN.entry), attributes: types)
        if let superior, let newRDN { record.newDN = superior.child(newRDN).description }
        return AuditTrail(log: configuration.auditLog, record: record, clock: configuration.clock, logger: logger)
    }

    /// The trail of an extended operation that writes (Password Modify); `nil` for the others. A change when
    /// the bound entry names itself (or no one), a reset otherwise; the target is the userIdentity as sent
    /// (without `dn:`), or the bound DN.
    func auditTrail(forExtended extended: ExtendedRequest, _ request: Request) -> AuditTrail? {
        guard String(buffer: extended.name) == PasswordModifyRequest.oid else { return nil }
        let own = request.connection.identity.dn
        var target = own?.description ?? ""
        var isOwn = true
        if let parsed = try? PasswordModifyRequest(requestValue: extended.value), let identity = parsed.userIdentity {
            target = String(buffer: identity)
            if target.lowercased().hasPrefix("dn:") { target = String(target.dropFirst(3)) }
            let named = try? DistinguishedName(target)
            isOwn = own.flatMap { own in named.map { comparator.same(own, $0) } } ?? false
        }
        let operation: AuditRecord.Operation = isOwn ? .passwordChange : .passwordReset
        return auditTrail(operation, request, target: target, attributes: ["userPassword"])
    }

    /// `storeCall(body)`, then notes on `trail` that the change is committed (a later failure does not undo it).
    @discardableResult
    func storeCall<T>(auditing trail: AuditTrail?, _ body: () throws(StoreError) -> T) throws(OperationError) -> T {
        let result = try storeCall(body)
        trail?.markCommitted()
        return result
    }

    /// `outcome`, a failure, after recording it on `trail`.
    func audited(_ outcome: OperationOutcome, _ trail: AuditTrail?) -> OperationOutcome {
        trail?.refused(outcome) ?? outcome
    }

    func auditTrail(
        _ operation: AuditRecord.Operation, _ request: Request, target: String, attributes: [String]
    ) -> AuditTrail {
        let record = auditRecord(operation, request, target: target, attributes: attributes)
        return AuditTrail(log: configuration.auditLog, record: record, clock: configuration.clock, logger: logger)
    }

    private func auditRecord(
        _ operation: AuditRecord.Operation, _ request: Request, target: String, attributes: [String]
    ) -> AuditRecord {
        var seen = Set<String>()
        let unique = attributes.filter { seen.insert($0.lowercased()).inserted }
        let connection = request.connection
        return AuditRecord(
            microsecondsSince1970: 0, connectionID: connection.connectionID, messageID: request.message.messageID,
            peer: connection.peer, bindDN: connection.identity.dn?.description ?? "", operation: operation,
            targetDN: target, attributes: unique, resultCode: .success)
    }
}

import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// Modify (RFC 4511 §4.6 with RFC 4525 increment): the changes and the new modifyTimestamp, modifiersName
    /// (and entryCSN) in one store transaction: all or nothing. NO-USER-MODIFICATION attributes are refused
    /// (constraintViolation). Pre-read returns the entry before, post-read after.
    func modify(_ modify: ModifyRequest, _ request: Request) -> OperationOutcome {
        let dnText = String(buffer: modify.object)
        let identity = request.connection.identity
        do throws(OperationError) {
            let controls = try RequestControls(request.message.controls, for: .modify)
            let dn = try parseDN(modify.object, "the entry to modify")
            let changes = modify.changes.map { change in
                Modification(
                    change.operation,
                    EntryAttribute(
                        description: AttributeDescription(String(buffer: change.modification.type)),
                        values: change.modification.values.map { Array(buffer: $0) }))
            }
            let descriptions = changes.map(\.attribute.description)
            let touchesOperational = descriptions.contains { context.attributeType(named: $0.type)?.isOperational ?? false }
            try authorizeWrite(.modify, target: dn, identity: identity, touchesOperational: touchesOperational)
            try refuseNoUserModification(descriptions)
            var responseControls: [LDAPControl] = []
            var children = 0
            if controls.assertion != nil || controls.preRead != nil || controls.postRead != nil {
                let found = try storeCall { () throws(StoreError) in try store.entryWithChildCount(dn: dn) }
                children = found.children
                try checkAssertion(controls, found.entry, children: children)
                if let attributes = controls.preRead {
                    responseControls.append(
                        readEntryControl(
                            .preRead, attributes: attributes, entry: found.entry, children: children,
                            identity: identity))
                }
            }
            let stamp = stamp(by: identity)
            let editor = EntryEditor(context: context)
            let schema = context
            let stored = try storeCall { () throws(StoreError) in
                try store.modify(dn: dn, validation: .serverWrite) { entry in
                    let before = try? schema.structuralObjectClass(of: entry)
                    try editor.apply(changes + stamp.modifications, to: &entry)
                    // X.501 and slapd: an entry's structural class is fixed at creation (RFC 4512 §2.4.2).
                    if let before, let after = try? schema.structuralObjectClass(of: entry), after.oid != before.oid {
                        throw StoreError(
                            .objectClassModsProhibited,
                            "the structural object class cannot change (from \(before.primaryName) to "
                                + "\(after.primaryName))")
                    }
                }
            }
            if let attributes = controls.postRead {
                responseControls.append(
                    readEntryControl(.postRead, attributes: attributes, entry: stored, children: children, identity: identity))
            }
            return OperationOutcome(
                response: response(.modify, request, LDAPResult(.success), controls: responseControls),
                log: AccessLogFields(operation: "MOD", dn: dnText, resultCode: .success))
        } catch {
            return failure(.modify, request, dn: dnText, error)
        }
    }

    /// ModifyDN (RFC 4511 §4.9): new RDN, deleteOldRDN, newSuperior, with the whole subtree (the store moves it
    /// in one transaction, which also stamps modifyTimestamp and modifiersName on the renamed entry).
    func modifyDN(_ modifyDN: ModifyDNRequest, _ request: Request) -> OperationOutcome {
        let dnText = String(buffer: modifyDN.entry)
        let identity = request.connection.identity
        do throws(OperationError) {
            let controls = try RequestControls(request.message.controls, for: .modifyDN)
            let dn = try parseDN(modifyDN.entry, "the entry to rename")
            let rdnDN = try parseDN(modifyDN.newRDN, "the new RDN")
            guard rdnDN.rdns.count == 1, let newRDN = rdnDN.rdn else {
                throw OperationError(.invalidDNSyntax, "the new RDN must be exactly one RDN")
            }
            let newSuperior = try modifyDN.newSuperior.map { buffer throws(OperationError) in
                try parseDN(buffer, "the new superior")
            }
            try refuseUndefinedRDNTypes(rdnDN)
            try authorizeWrite(.modifyDN, target: dn, identity: identity)
            var responseControls: [LDAPControl] = []
            if controls.assertion != nil || controls.preRead != nil {
                let found = try storeCall { () throws(StoreError) in try store.entryWithChildCount(dn: dn) }
                try checkAssertion(controls, found.entry, children: found.children)
                if let attributes = controls.preRead {
                    responseControls.append(
                        readEntryControl(
                            .preRead, attributes: attributes, entry: found.entry, children: found.children,
                            identity: identity))
                }
            }
            let stamp = stamp(by: identity)
            let editor = EntryEditor(context: context)
            let newDN = try storeCall { () throws(StoreError) in
                try store.rename(
                    dn: dn, newRDN: newRDN, deleteOldRDN: modifyDN.deleteOldRDN, newSuperior: newSuperior,
                    validation: .serverWrite
                ) { entry in try editor.apply(stamp.modifications, to: &entry) }
            }
            if let attributes = controls.postRead {
                let found = try storeCall { () throws(StoreError) in try store.entryWithChildCount(dn: newDN) }
                responseControls.append(
                    readEntryControl(
                        .postRead, attributes: attributes, entry: found.entry, children: found.children,
                        identity: identity))
            }
            return OperationOutcome(
                response: response(.modifyDN, request, LDAPResult(.success), controls: responseControls),
                log: AccessLogFields(operation: "MODRDN", dn: dnText, resultCode: .success))
        } catch {
            return failure(.modifyDN, request, dn: dnText, error)
        }
    }
}

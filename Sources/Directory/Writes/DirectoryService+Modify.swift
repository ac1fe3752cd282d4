import AccessControl
import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// Modify (RFC 4511 §4.6 with RFC 4525 increment): the changes and the new modifyTimestamp, modifiersName
    /// (and entryCSN) in one store transaction: all or nothing. NO-USER-MODIFICATION attributes are refused
    /// (constraintViolation). Pre-read returns the entry before, post-read after. Access control, on the entry
    /// as it is before the change: visible (noSuchObject otherwise), then per modification `add` to add values
    /// (and to increment), `delete` to delete values, `write` (add and delete) to replace them — per value for
    /// the types a value rule selects (``changeChecks(_:current:changed:access:context:)``); the same
    /// privileges again on the entry as changed (so that a change cannot carry an entry out of reach). userPassword
    /// values added or replaced are stored hashed (docs/passwords.md).
    func modify(_ modify: ModifyRequest, _ request: Request) -> OperationOutcome {
        let dnText = String(buffer: modify.object)
        let trail = auditTrail(for: modify, request)
        let identity = request.connection.identity
        do throws(OperationError) {
            let controls = try RequestControls(request.message.controls, for: .modify)
            let dn = try parseDN(modify.object, "the entry to modify")
            let requested = modify.changes.map { change in
                Modification(
                    change.operation,
                    EntryAttribute(
                        description: AttributeDescription(String(buffer: change.modification.type)),
                        values: change.modification.values.map { Array(buffer: $0) }))
            }
            let descriptions = requested.map(\.attribute.description)
            try refuseAnonymousWrite(identity)
            let subject = subject(of: request.connection)
            let found = try visibleEntry(dn, subject: subject)
            // D4: mobile numbers are stored in E.164 (docs/domain-rules.md).
            let changes = domainRules.normalizingMobiles(in: requested, of: found.entry)
            let checks = Self.changeChecks(
                changes, current: found.entry, changed: nil, access: found.access, context: context)
            if let refused = Self.refusedChange(checks, in: found.access) {
                throw OperationError(.insufficientAccessRights, Self.refusal(refused, of: dn))
            }
            try refuseNoUserModification(descriptions.filter { !mayAssignPolicy($0, identity) })
            // The password policy and D8 (docs/password-policy.md): checks, and the operational changes with it.
            var policyChanges: [Modification] = []
            var passwordChanges = changes
            let changesPassword = changes.contains { isPasswordAttribute($0.attribute.description) }
            if changesPassword {
                do throws(PolicyRefusal) {
                    let checked = try checkedPasswordModify(changes, of: found.entry, by: identity)
                    passwordChanges = checked.changes
                    policyChanges = checked.policyChanges
                } catch {
                    return audited(policyFailure(.modify, request, dn: dnText, error), trail)
                }
            }
            if changes.contains(where: { isMailAttribute($0.attribute.description) }) {
                policyChanges.append(mailChangedStamp())
            }
            var responseControls: [LDAPControl] = []
            let children = found.children
            try checkAssertion(controls, found.entry, children: children)
            if let attributes = controls.preRead {
                responseControls.append(
                    readEntryControl(
                        .preRead, attributes: attributes, entry: found.entry, children: children, subject: subject))
            }
            let stamp = stamp(by: identity)
            let editor = EntryEditor(context: context)
            let schema = context
            let policy = policy
            // userPassword adds and replaces are stored hashed (hashed here, once: the closure may run again).
            let storedChanges = try hashingPasswords(in: passwordChanges, by: identity) + policyChanges
            let ruleCheck = domainRuleCheck(old: found.entry)
            let stored = try storeCall(auditing: trail) { () throws(StoreError) in
                try store.modify(
                    dn: dn, validation: .serverWrite, check: ruleCheck, beforeCommit: trail.beforeCommit
                ) { entry in
                    let before = try? schema.structuralObjectClass(of: entry)
                    let current = entry
                    try editor.apply(storedChanges + stamp.modifications, to: &entry)
                    // The rights must hold on the entry as changed too: a correspondent cannot move a person out
                    // of their territory into another one (D14), nor anyone make a change that takes the entry
                    // away from the rule that allowed it. With value rules, the values deleted are the entry's in
                    // this transaction (it may have changed since it was read above), checked on it as well.
                    let changedAccess = policy.access(to: entry, as: subject)
                    let checks = Self.changeChecks(
                        changes, current: current, changed: entry, access: changedAccess, context: schema)
                    if policy.hasValueRules,
                        let refused = Self.refusedChange(checks, in: policy.access(to: current, as: subject))
                    {
                        throw StoreError(.insufficientAccessRights, Self.refusal(refused, of: dn))
                    }
                    if let refused = Self.refusedChange(checks, in: changedAccess) {
                        throw StoreError(.insufficientAccessRights, Self.refusal(refused, of: dn, " as modified"))
                    }
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
                    readEntryControl(.postRead, attributes: attributes, entry: stored, children: children, subject: subject))
            }
            // The person's own change lifts a changeAfterReset restriction on this connection.
            if changesPassword, isSelf(identity, dn) { request.connection.passwordState.setMustChangePassword(false) }
            return OperationOutcome(
                response: response(.modify, request, LDAPResult(.success), controls: responseControls),
                log: AccessLogFields(operation: "MOD", dn: dnText, resultCode: .success))
        } catch {
            return audited(failure(.modify, request, dn: dnText, error), trail)
        }
    }

    /// ModifyDN (RFC 4511 §4.9): new RDN, deleteOldRDN, newSuperior, with the whole subtree (the store moves it
    /// in one transaction, which also stamps modifyTimestamp and modifiersName on the renamed entry). Access
    /// control: the entry visible (noSuchObject otherwise) with `write` on its `entry`, `delete` on the old
    /// parent's `children`, `add` on the new parent's `children`; for the RDN types a value rule selects, `add`
    /// on the new RDN's values and, with deleteOldRDN, `delete` on the old RDN's.
    func modifyDN(_ modifyDN: ModifyDNRequest, _ request: Request) -> OperationOutcome {
        let dnText = String(buffer: modifyDN.entry)
        let trail = auditTrail(for: modifyDN, request)
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
            try refuseAnonymousWrite(identity)
            let subject = subject(of: request.connection)
            let found = try visibleEntry(dn, subject: subject)
            try require(.write, .entry, in: found.access, "rename '\(dn)'")
            try requireRDNValues(old: dn.rdn, new: newRDN, deleteOldRDN: modifyDN.deleteOldRDN, in: found.access, dn)
            try requireOnParent(of: dn, .delete, subject: subject)
            if let parent = dn.parent() {
                let target = (newSuperior ?? parent).child(newRDN)
                try requireOnParent(of: target, .add, subject: subject)
            }
            var responseControls: [LDAPControl] = []
            try checkAssertion(controls, found.entry, children: found.children)
            if let attributes = controls.preRead {
                responseControls.append(
                    readEntryControl(
                        .preRead, attributes: attributes, entry: found.entry, children: found.children,
                        subject: subject))
            }
            let stamp = stamp(by: identity)
            let editor = EntryEditor(context: context)
            let ruleCheck = domainRuleCheck(old: found.entry)
            let references = domainRuleCascade(
                renamedTo: (newSuperior ?? dn.parent() ?? .root).child(newRDN), by: identity)
            let newDN = try storeCall(auditing: trail) { () throws(StoreError) in
                try store.rename(
                    dn: dn, newRDN: newRDN, deleteOldRDN: modifyDN.deleteOldRDN, newSuperior: newSuperior,
                    validation: .serverWrite, check: ruleCheck, cascade: references, beforeCommit: trail.beforeCommit
                ) { entry in try editor.apply(stamp.modifications, to: &entry) }
            }
            if let attributes = controls.postRead {
                let found = try storeCall { () throws(StoreError) in try store.entryWithChildCount(dn: newDN) }
                responseControls.append(
                    readEntryControl(
                        .postRead, attributes: attributes, entry: found.entry, children: found.children,
                        subject: subject))
            }
            return OperationOutcome(
                response: response(.modifyDN, request, LDAPResult(.success), controls: responseControls),
                log: AccessLogFields(operation: "MODRDN", dn: dnText, resultCode: .success))
        } catch {
            return audited(failure(.modifyDN, request, dn: dnText, error), trail)
        }
    }

    /// The value checks of a rename (slapd.access(5): `add` on the values of the new RDN, `delete` on those of the
    /// old one when they go), for the types a value rule selects: a rename must not add or remove a value a
    /// Modify could not. Other types keep the rename's own checks (`write` on `entry`).
    private func requireRDNValues(
        old: RelativeDistinguishedName?, new: RelativeDistinguishedName, deleteOldRDN: Bool, in access: EntryAccess,
        _ dn: DistinguishedName
    ) throws(OperationError) {
        guard policy.hasValueRules, !access.bypasses else { return }
        for component in new.attributes {
            guard let type = context.attributeType(named: component.type), access.hasValueRules(for: type) else {
                continue
            }
            try requireValues(.add, type, [component.value], in: access, "'\(component.type)' of '\(dn)'")
        }
        guard deleteOldRDN, let old else { return }
        for component in old.attributes where !new.attributes.contains(component) {
            guard let type = context.attributeType(named: component.type), access.hasValueRules(for: type) else {
                continue
            }
            try requireValues(.delete, type, [component.value], in: access, "'\(component.type)' of '\(dn)'")
        }
    }
}

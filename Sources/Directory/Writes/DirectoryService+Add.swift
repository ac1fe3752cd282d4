import AccessControl
import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// Add (RFC 4511 §4.7): the entry as sent, completed with the server's operational attributes, validated
    /// and stored atomically by the store. A client may not send NO-USER-MODIFICATION attributes
    /// (constraintViolation, root DN included, as slapd). The assertion control is evaluated on the entry to
    /// be added; the post-read control returns it as stored. Access control: `add` on the parent's `children`
    /// (noSuchObject when the parent is not visible), then `add` on the new entry's `entry` and on every
    /// attribute the client sent (on each value, for a type a value rule selects), evaluated on the entry as it
    /// will be stored (so that a filter or a `match=` subject sees its codique). userPassword values are stored
    /// hashed (docs/passwords.md), after the access checks so that a refused request costs no hashing.
    func add(_ add: AddRequest, _ request: Request) -> OperationOutcome {
        let dnText = String(buffer: add.entry)
        let trail = auditTrail(for: add, request)
        let identity = request.connection.identity
        do throws(OperationError) {
            let controls = try RequestControls(request.message.controls, for: .add)
            let dn = try parseDN(add.entry, "the entry to add")
            try refuseAnonymousWrite(identity)
            let subject = subject(of: request.connection)
            try requireOnParent(of: dn, .add, subject: subject)
            var entry = Entry(dn: dn)
            for attribute in add.attributes {
                let description = AttributeDescription(String(buffer: attribute.type))
                guard !attribute.values.isEmpty else {
                    throw OperationError(.protocolError, "no values for attribute type '\(description)'")
                }
                entry.attributes.append(
                    EntryAttribute(description: description, values: attribute.values.map { Array(buffer: $0) }))
            }
            try refuseNoUserModification(entry.attributes.map(\.description).filter { !mayAssignPolicy($0, identity) })
            try refuseUndefinedRDNTypes(dn)
            // RFC 4511 §4.7: the RDN's values are added to the entry's when the client left them out (as slapd).
            entry = EntryEditor(context: context).renamed(entry, to: dn, deleteOldRDN: false)
            // D4: mobile numbers are stored in E.164 (docs/domain-rules.md).
            let completed = domainRules.normalizingMobiles(in: try completedForAdd(entry, stamp: stamp(by: identity)))
            let access = policy.access(to: completed, as: subject)
            try require(.add, .entry, in: access, "add '\(dn)'")
            for attribute in entry.attributes {
                guard let type = context.attributeType(named: attribute.description.type) else { continue }
                // Per value when a value rule selects the type (an entry carrying a value it may not add).
                try requireValues(.add, type, attribute.values, in: access, "'\(attribute.description)' of '\(dn)'")
            }
            if let assertion = controls.assertion,
                !PreparedFilter(assertion, context: context).matches(renderer.withComputed(completed, children: 0))
            {
                throw OperationError(.assertionFailed, "the assertion control's filter does not match the entry")
            }
            // Passwords sent in clear are stored hashed; a hash only from the root DN or with the allowance.
            // The password policy: quality of the initial password (checked before hashing it), pwdChangedTime,
            // pwdReset (docs/password-policy.md).
            var policyChanges: [Modification] = []
            let initial = completed.attributes.filter { isPasswordAttribute($0.description) }.flatMap(\.values)
            if !initial.isEmpty {
                do throws(PolicyRefusal) {
                    policyChanges = try passwordChange(of: completed, newPasswords: initial, by: identity, kind: .add)
                } catch {
                    return audited(policyFailure(.add, request, dn: dnText, error), trail)
                }
            }
            var stored = try hashingPasswords(in: completed, by: identity)
            if !policyChanges.isEmpty {
                let editor = EntryEditor(context: context)
                try storeCall { () throws(StoreError) in try editor.apply(policyChanges, to: &stored) }
            }
            let ruleCheck = domainRuleCheck(old: nil)
            try storeCall(auditing: trail) { () throws(StoreError) in
                try store.add(stored, validation: .serverWrite, check: ruleCheck, beforeCommit: trail.beforeCommit)
            }
            var responseControls: [LDAPControl] = []
            if let attributes = controls.postRead {
                responseControls.append(
                    readEntryControl(.postRead, attributes: attributes, entry: stored, children: 0, subject: subject))
            }
            return OperationOutcome(
                response: response(.add, request, LDAPResult(.success), controls: responseControls),
                log: AccessLogFields(operation: "ADD", dn: dnText, resultCode: .success))
        } catch {
            return audited(failure(.add, request, dn: dnText, error), trail)
        }
    }

    /// Delete (RFC 4511 §4.8): a leaf only (notAllowedOnNonLeaf). The assertion and pre-read controls read the
    /// entry first (writes are serialized, so nothing changes it in between). Access control: the entry must be
    /// visible (noSuchObject otherwise), with `delete` on its `entry` and on its parent's `children`.
    func delete(_ dnBuffer: ByteBuffer, _ request: Request) -> OperationOutcome {
        let dnText = String(buffer: dnBuffer)
        let trail = auditTrail(forDelete: dnBuffer, request)
        let identity = request.connection.identity
        do throws(OperationError) {
            let controls = try RequestControls(request.message.controls, for: .delete)
            let dn = try parseDN(dnBuffer, "the entry to delete")
            try refuseAnonymousWrite(identity)
            let subject = subject(of: request.connection)
            let found = try visibleEntry(dn, subject: subject)
            try require(.delete, .entry, in: found.access, "delete '\(dn)'")
            try requireOnParent(of: dn, .delete, subject: subject)
            var responseControls: [LDAPControl] = []
            try checkAssertion(controls, found.entry, children: found.children)
            if let attributes = controls.preRead {
                responseControls.append(
                    readEntryControl(
                        .preRead, attributes: attributes, entry: found.entry, children: found.children,
                        subject: subject))
            }
            let ruleCheck = domainRuleDeleteCheck()
            let references = domainRuleCascade(renamedTo: nil, by: identity)
            try storeCall(auditing: trail) { () throws(StoreError) in
                try store.delete(dn: dn, check: ruleCheck, cascade: references, beforeCommit: trail.beforeCommit)
            }
            return OperationOutcome(
                response: response(.delete, request, LDAPResult(.success), controls: responseControls),
                log: AccessLogFields(operation: "DEL", dn: dnText, resultCode: .success))
        } catch {
            return audited(failure(.delete, request, dn: dnText, error), trail)
        }
    }

    /// invalidDNSyntax when an attribute type of `dn`'s RDN is not in the schema (slapd's answer: such a name
    /// cannot be normalised).
    func refuseUndefinedRDNTypes(_ dn: DistinguishedName) throws(OperationError) {
        for component in dn.rdn?.attributes ?? [] where context.attributeType(named: component.type) == nil {
            throw OperationError(.invalidDNSyntax, "'\(component.type)' of the RDN is not an attribute type of the schema")
        }
    }

    /// assertionFailed unless the assertion control (if any) matches `entry`.
    func checkAssertion(_ controls: RequestControls, _ entry: Entry, children: Int) throws(OperationError) {
        guard let assertion = controls.assertion else { return }
        guard PreparedFilter(assertion, context: context).matches(renderer.withComputed(entry, children: children))
        else {
            throw OperationError(.assertionFailed, "the assertion control's filter does not match the entry")
        }
    }
}

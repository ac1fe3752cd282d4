import AccessControl
import LDAPProtocol
import Schema
import Storage

/// How operations consult the access policy (docs/access-control.md, "Checks per operation"): the subject of
/// the connection, the decisions on an entry, and the answers that do not disclose hidden entries.
extension DirectoryService {
    /// The subject of `identity`: anonymous and the root DN need nothing; an entry's subject is built from the
    /// bound entry (read from the store when `entry` is `nil`) and the groups the policy names (one read each).
    /// Bind calls it once; the connection keeps the result.
    package func accessSubject(for identity: BoundIdentity, entry: Entry?) -> AccessSubject {
        switch identity {
        case .anonymous: return .anonymous
        case .rootDN(let dn): return .root(dn)
        case .entry(let dn):
            let bound = entry ?? (try? store.entry(dn: dn)) ?? nil
            return policy.subject(boundAs: dn, entry: bound) { [store] group in (try? store.entry(dn: group)) ?? nil }
        }
    }

    /// Whether a simple Bind may check the password of `entry` (`auth` on its userPassword for the anonymous
    /// subject). Bind answers invalidCredentials when it may not, as for a wrong password.
    package func mayAuthenticate(_ entry: Entry) -> Bool {
        policy.mayAuthenticate(entry)
    }

    /// The connection's subject: the one its Bind cached, or one built now when there is none for its identity
    /// (a connection object made without a Bind, as in tests).
    func subject(of connection: ConnectionInfo) -> AccessSubject {
        let identity = connection.identity
        if let cached = connection.accessSubject, cached.describes(dn: identity.dn, isRoot: isRoot(identity)) {
            return cached
        }
        return accessSubject(for: identity, entry: nil)
    }

    /// The entry at `dn` with its number of children, for an operation that checks rights on it: noSuchObject
    /// when it is missing or when the subject may not disclose it (the same answer, so that the client cannot
    /// tell them apart), with a matched DN only as far up as the subject may see. `cache`: a search's, so that
    /// what is learnt on its base (the parent's DN, the base's RDN) serves its entries too.
    func visibleEntry(
        _ dn: DistinguishedName, subject: AccessSubject, cache: AccessCache? = nil
    ) throws(OperationError) -> (entry: Entry, children: Int, access: EntryAccess) {
        let found: (entry: Entry, children: Int)
        do throws(StoreError) {
            let read = try store.entryWithChildCount(dn: dn)
            found = (read.entry, read.children)
        } catch {
            guard error.resultCode == .noSuchObject else { throw OperationError(error) }
            throw hidden(dn, message: error.message, from: error.matchedDN, subject: subject)
        }
        let access = cache.map { policy.access(to: found.entry, as: subject, cache: $0) }
            ?? policy.access(to: found.entry, as: subject)
        guard access.allows(.disclose, .entry) else {
            // The store's words for a missing entry, so that the two answers are byte for byte the same.
            throw hidden(dn, message: "no entry named '\(dn)'", from: dn.parent(), subject: subject)
        }
        return (found.entry, found.children, access)
    }

    /// noSuchObject for `dn`, whose matched DN is the nearest of `start` and its ancestors that the subject may
    /// disclose (reads each ancestor tried; only on this error path).
    func hidden(
        _ dn: DistinguishedName, message: String, from start: DistinguishedName?, subject: AccessSubject
    ) -> OperationError {
        var candidate = start
        while let current = candidate, !current.isRoot {
            if let entry = (try? store.entry(dn: current)) ?? nil,
                policy.access(to: entry, as: subject).allows(.disclose, .entry)
            {
                return OperationError(.noSuchObject, message, matchedDN: current.description)
            }
            candidate = current.parent()
        }
        return OperationError(.noSuchObject, message)
    }

    /// insufficientAccessRights unless `access` grants `needed` on `attribute`; `what` names it in the message.
    func require(
        _ needed: AccessPrivileges, _ attribute: AccessAttribute, in access: EntryAccess, _ what: @autoclosure () -> String
    ) throws(OperationError) {
        guard access.allows(needed, attribute) else {
            throw OperationError(.insufficientAccessRights, "no \(needed) access to \(what())")
        }
    }

    /// The checks on the parent of `dn` for adding (or moving in) and deleting (or moving out) an entry:
    /// the parent must be visible (noSuchObject otherwise) and grant `needed` on `children`. Entries directly
    /// below the root (the suffixes) have no stored parent: only the root DN creates or deletes them.
    func requireOnParent(
        of dn: DistinguishedName, _ needed: AccessPrivileges, subject: AccessSubject
    ) throws(OperationError) {
        guard !subject.isRoot else { return }
        guard let parentDN = dn.parent(), !parentDN.isRoot else {
            throw OperationError(.insufficientAccessRights, "no \(needed) access below the root")
        }
        let parent = try visibleEntry(parentDN, subject: subject)
        try require(needed, .children, in: parent.access, "the children of '\(parentDN)'")
    }

    /// One check a write needs: privileges on an attribute type, or on one value of it (when a value rule of the
    /// policy selects the type).
    struct ChangeCheck {
        let description: AttributeDescription
        let type: CompiledAttributeType
        /// `nil`: the check is about the attribute as a whole.
        let value: [UInt8]?
        let needed: AccessPrivileges
    }

    /// The checks of Modify `changes` on `current` (the entry before the request). Per attribute: `add` for add
    /// and increment, `delete` for delete, `write` (add and delete) for replace. For a type a value rule selects,
    /// per value instead: `add` on each value added, `delete` on each value deleted — a delete without values
    /// and a replace delete every current value of the attribute, a replace then adds each of its values (as
    /// slapd.access(5) has it), an increment deletes each current value and adds each value of `changed` (the
    /// entry as changed; `nil` before the change is made, when an increment is checked per attribute). A change
    /// that concerns no value (a replace or delete of an attribute the entry lacks) is checked per attribute.
    /// Types the schema lacks are left to the store (undefinedAttributeType).
    static func changeChecks(
        _ changes: [Modification], current: Entry, changed: Entry?, access: EntryAccess, context: SchemaContext
    ) -> [ChangeCheck] {
        guard !access.bypasses else { return [] }
        var checks: [ChangeCheck] = []
        for change in changes {
            let description = change.attribute.description
            guard let type = context.attributeType(named: description.type) else { continue }
            let whole: AccessPrivileges
            switch change.operation {
            case .add, .increment: whole = .add
            case .delete: whole = .delete
            case .replace: whole = .write
            }
            guard access.hasValueRules(for: type) else {
                checks.append(ChangeCheck(description: description, type: type, value: nil, needed: whole))
                continue
            }
            var deleted: [[UInt8]] = []
            var added: [[UInt8]] = []
            switch change.operation {
            case .add:
                added = change.attribute.values
            case .delete:
                deleted = change.attribute.values.isEmpty
                    ? values(of: description, type: type, in: current, context: context) : change.attribute.values
            case .replace:
                deleted = values(of: description, type: type, in: current, context: context)
                added = change.attribute.values
            case .increment:
                guard let changed else {
                    checks.append(ChangeCheck(description: description, type: type, value: nil, needed: whole))
                    continue
                }
                deleted = values(of: description, type: type, in: current, context: context)
                added = values(of: description, type: type, in: changed, context: context)
            }
            if deleted.isEmpty && added.isEmpty {
                checks.append(ChangeCheck(description: description, type: type, value: nil, needed: whole))
            }
            for value in deleted {
                checks.append(ChangeCheck(description: description, type: type, value: value, needed: .delete))
            }
            for value in added {
                checks.append(ChangeCheck(description: description, type: type, value: value, needed: .add))
            }
        }
        return checks
    }

    /// The values `entry` holds for exactly `description` (its type, by any name, with the same options).
    private static func values(
        of description: AttributeDescription, type: CompiledAttributeType, in entry: Entry, context: SchemaContext
    ) -> [[UInt8]] {
        let options = Set(description.options.map { $0.lowercased() })
        var values: [[UInt8]] = []
        for attribute in entry.attributes where Set(attribute.description.options.map { $0.lowercased() }) == options {
            guard context.attributeType(named: attribute.description.type)?.id == type.id else { continue }
            values += attribute.values
        }
        return values
    }

    /// The first of `checks` that `access` does not pass.
    static func refusedChange(_ checks: [ChangeCheck], in access: EntryAccess) -> ChangeCheck? {
        guard !access.bypasses else { return nil }
        return checks.first { check in
            guard let value = check.value else { return !access.allows(check.needed, .type(check.type)) }
            return !access.allows(check.needed, check.type, value: value)
        }
    }

    /// insufficientAccessRights for a refused change of `dn` (the value is not repeated: it may be long, and
    /// the client sent it), `state` saying which state of the entry refused it.
    static func refusal(_ check: ChangeCheck, of dn: DistinguishedName, _ state: String = "") -> String {
        let what = check.value == nil ? "'\(check.description)'" : "a value of '\(check.description)'"
        return "no \(check.needed) access to \(what) of '\(dn)'\(state)"
    }

    /// insufficientAccessRights unless `access` grants `needed` on each of `values` of `type` (on the attribute
    /// when no value rule selects the type); `what` names the attribute in the message.
    func requireValues(
        _ needed: AccessPrivileges, _ type: CompiledAttributeType, _ values: [[UInt8]], assertion: Bool = false,
        in access: EntryAccess, _ what: @autoclosure () -> String
    ) throws(OperationError) {
        guard access.hasValueRules(for: type) else {
            try require(needed, .type(type), in: access, what())
            return
        }
        for value in values where !access.allows(needed, type, value: value, assertion: assertion) {
            throw OperationError(.insufficientAccessRights, "no \(needed) access to this value of \(what())")
        }
    }
}

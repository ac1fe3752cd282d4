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

    /// The first modification `access` does not allow, with the privileges it needs: `add` for add and
    /// increment, `delete` for delete, `write` (add and delete) for replace. Types the schema lacks are left to
    /// the store (undefinedAttributeType).
    static func refusedChange(
        _ changes: [Modification], in access: EntryAccess, context: SchemaContext
    ) -> (description: AttributeDescription, needed: AccessPrivileges)? {
        guard !access.bypasses else { return nil }
        for change in changes {
            guard let type = context.attributeType(named: change.attribute.description.type) else { continue }
            let needed: AccessPrivileges
            switch change.operation {
            case .add, .increment: needed = .add
            case .delete: needed = .delete
            case .replace: needed = .write
            }
            if !access.allows(needed, .type(type)) { return (change.attribute.description, needed) }
        }
        return nil
    }

    /// The attribute type of `description` when the schema knows it.
    func accessAttribute(_ description: AttributeDescription) -> AccessAttribute? {
        context.attributeType(named: description.type).map { AccessAttribute.type($0) }
    }
}

import LDAPProtocol
import Schema

/// Look-ups inside a write transaction, lent to the `check` (``WriteCheck``) and `cascade` (``WriteCascade``) of the
/// store's add, modify, rename and delete: the checks a write makes against the rest of the directory (uniqueness
/// of a value, references) read the same transaction as the write, its own changes included, so no other write can
/// slip between check and commit.
///
/// Valid only during the call it is lent to.
package struct WriteLookup: ~Copyable, LMDBReadable {
    package let transactionHandle: LMDBTransactionHandle
    let store: DirectoryStore
    /// The id of the entry being written (already stored and indexed in this transaction).
    package let entryID: EntryID

    init(store: DirectoryStore, transactionHandle: LMDBTransactionHandle, entryID: EntryID) {
        self.store = store
        self.transactionHandle = transactionHandle
        self.entryID = entryID
    }

    /// The entries other than the one being written that hold `value` in the attribute type `typeName` itself
    /// (not its subtypes), under the type's equality rule, found through its equality index; nil when the type has
    /// no equality rule or no equality index in force (the caller decides: a check must not scan). A value the rule
    /// cannot normalise matches nothing.
    package func otherEntries(withValue value: [UInt8], of typeName: String) throws -> [(id: EntryID, entry: Entry)]? {
        let context = store.context
        guard let type = context.attributeType(named: typeName), let rule = type.equality,
            store.state.active.plan.kinds(of: type.id).contains(.equality),
            let database = store.indexDatabases[IndexPlan.databaseName(.equality, oid: type.oid)]
        else { return nil }
        guard let normalized = try? context.normalize(value, rule: rule, of: type) else { return [] }
        var ids: [EntryID] = []
        try forEachValue(in: database, key: IndexKeys.valueKey(normalized, maxKeySize: store.environment.maxKeySize)) {
            if let id = EntryID(bytes: $0), id != entryID { ids.append(id) }
            return true
        }
        var found: [(id: EntryID, entry: Entry)] = []
        for id in ids {
            guard let entry = try store.load(id, in: self) else { continue }
            // Keys are cut at LMDB's key size: confirm on the values themselves.
            let holds = entry.attributes.contains { attribute in
                context.attributeType(named: attribute.description.type)?.oid == type.oid
                    && attribute.values.contains { (try? context.normalize($0, rule: rule, of: type)) == normalized }
            }
            if holds { found.append((id, entry)) }
        }
        return found
    }

    /// The entry named `dn`, read in the transaction; nil when there is none.
    package func entry(dn: DistinguishedName) throws -> Entry? {
        guard !dn.isRoot, let key = try? store.keyMaker.key(for: dn), let id = try store.tree.id(forKey: key, in: self)
        else { return nil }
        return try store.load(id, in: self)
    }
}

/// A check a write makes on the entry as it will be stored, inside the write transaction, after the entry and its
/// indexes are written and before `beforeCommit`; throwing (a ``StoreError`` carries its result code) abandons
/// the write. Like the transaction it may run more than once (when the map grows).
package typealias WriteCheck = (_ entry: Entry, _ lookup: borrowing WriteLookup) throws -> Void

/// Changes of other entries that a write makes in its own transaction (referential integrity: the structures that
/// named a person deleted or renamed), computed from the entry written and look-ups in the transaction. Each is
/// applied like a Modify — edited, validated against the schema, stored and re-indexed — and any failure abandons
/// the whole write. An entry that no longer exists is skipped.
package typealias WriteCascade =
    (_ entry: Entry, _ lookup: borrowing WriteLookup) throws -> [(dn: DistinguishedName, changes: [Modification])]

extension DirectoryStore {
    /// Applies `cascade`'s changes in `transaction` (see ``WriteCascade``).
    func applyCascade(
        _ cascade: WriteCascade, entry: Entry, id: EntryID, in transaction: inout LMDBWriteTransaction
    ) throws {
        let followUps = try cascade(
            entry, WriteLookup(store: self, transactionHandle: transaction.transactionHandle, entryID: id))
        let editor = EntryEditor(context: context)
        for (dn, changes) in followUps {
            let key = try keyMaker.key(for: dn)
            guard let target = try tree.id(forKey: key, in: transaction), let old = try load(target, in: transaction)
            else { continue }
            var new = old
            try editor.apply(changes, to: &new)
            if let violation = context.validate(new, options: .serverWrite) { throw StoreError(violation) }
            try transaction.put(entries, key: target.bytes, value: EntryCoder.encode(new))
            try reindexEntry(target, old: old, new: new, plan: state.active.plan, in: &transaction)
        }
    }
}

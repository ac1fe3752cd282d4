import LDAPProtocol
import Schema

extension DirectoryStore {
    /// Adds `entry` and returns its new id.
    ///
    /// The entry is validated (`validation`: by default the server's own write, which accepts operational
    /// attributes). Its parent must exist, unless its DN is one of the ``namingContexts`` (noSuchObject, with the
    /// deepest existing superior as matched DN); its DN must be free (entryAlreadyExists).
    ///
    /// `beforeCommit`, when given, runs last inside the transaction, once every check has passed; throwing
    /// aborts the add (the audit trail is written there, so no change is stored without its line). Like the
    /// rest of the transaction it runs again when the map grows.
    @discardableResult
    package func add(
        _ entry: Entry, validation: EntryValidationOptions = .serverWrite, check: WriteCheck? = nil,
        beforeCommit: (() throws -> Void)? = nil
    ) throws(StoreError) -> EntryID {
        guard !entry.dn.isRoot else { throw StoreError(.unwillingToPerform, "the root DSE is not stored") }
        try validate(entry, options: validation)
        let key = try keyMaker.key(for: entry.dn)
        let isNamingContext = namingContextKeys.contains(key)
        let parentKey = isNamingContext ? [] : try keyMaker.key(for: entry.dn.parent() ?? .root)
        return try write { transaction in
            if try tree.id(forKey: key, in: transaction) != nil {
                throw StoreError(.entryAlreadyExists, "an entry named '\(entry.dn)' exists")
            }
            let parent: EntryID
            if isNamingContext {
                parent = .root
            } else if !parentKey.isEmpty, let found = try tree.id(forKey: parentKey, in: transaction) {
                parent = found
            } else {
                throw try noSuchObject(entry.dn.parent() ?? .root, in: transaction)
            }
            let plan = state.active.plan
            let id = try allocateID(in: &transaction)
            try transaction.put(entries, key: id.bytes, value: EntryCoder.encode(entry))
            try tree.link(id, key: key, parent: parent, in: &transaction)
            try reindexEntry(id, old: nil, new: entry, plan: plan, in: &transaction)
            if let check {
                try check(entry, WriteLookup(store: self, transactionHandle: transaction.transactionHandle, entryID: id))
            }
            try beforeCommit?()
            return id
        }
    }

    /// Deletes the entry named `dn`: noSuchObject when there is none, notAllowedOnNonLeaf when it has children.
    /// `beforeCommit` as for ``add(_:validation:beforeCommit:)``; `check`, when given, sees the entry deleted (the
    /// tree and indexes already without it).
    package func delete(
        dn: DistinguishedName, check: WriteCheck? = nil, cascade: WriteCascade? = nil,
        beforeCommit: (() throws -> Void)? = nil
    ) throws(StoreError) {
        let key = try keyMaker.key(for: dn)
        try write { transaction in
            let id = try resolve(dn, key: key, in: transaction)
            guard try tree.childCount(of: id, in: transaction) == 0 else {
                throw StoreError(.notAllowedOnNonLeaf, "'\(dn)' has subordinate entries")
            }
            guard let entry = try load(id, in: transaction), let parent = try tree.parent(of: id, in: transaction)
            else {
                throw StoreError(.other, "entry \(id) of '\(dn)' is missing from the entries or parents database")
            }
            try tree.unlink(id, key: key, parent: parent, in: &transaction)
            try transaction.delete(entries, key: id.bytes)
            try reindexEntry(id, old: entry, new: nil, plan: state.active.plan, in: &transaction)
            if let check {
                try check(entry, WriteLookup(store: self, transactionHandle: transaction.transactionHandle, entryID: id))
            }
            if let cascade { try applyCascade(cascade, entry: entry, id: id, in: &transaction) }
            try beforeCommit?()
        }
    }

    /// Applies `modifications` to the entry named `dn` (see ``Modification``), validates the result and stores
    /// it; errors as ``EntryEditor`` and the schema give them, and notAllowedOnRDN when the naming values would
    /// go. Returns the entry as stored.
    @discardableResult
    package func modify(
        dn: DistinguishedName,
        changes: [Modification],
        validation: EntryValidationOptions = .serverWrite,
        beforeCommit: (() throws -> Void)? = nil
    ) throws(StoreError) -> Entry {
        let editor = EntryEditor(context: context)
        return try modify(dn: dn, validation: validation, beforeCommit: beforeCommit) { entry in
            try editor.apply(changes, to: &entry)
        }
    }

    /// Changes the entry named `dn` with `transform` (which may throw to abandon the change), validates the
    /// result and stores it. The DN cannot change here (``rename(dn:newRDN:deleteOldRDN:newSuperior:)`` does it).
    /// `transform` runs inside the write transaction and may run more than once (when the map grows): it must
    /// only change the entry. Returns the entry as stored. `beforeCommit` as for ``add(_:validation:beforeCommit:)``.
    @discardableResult
    package func modify(
        dn: DistinguishedName,
        validation: EntryValidationOptions = .serverWrite,
        check: WriteCheck? = nil,
        beforeCommit: (() throws -> Void)? = nil,
        _ transform: (inout Entry) throws -> Void
    ) throws(StoreError) -> Entry {
        let key = try keyMaker.key(for: dn)
        return try write { transaction in
            let id = try resolve(dn, key: key, in: transaction)
            guard let old = try load(id, in: transaction) else {
                throw StoreError(.other, "entry \(id) of '\(dn)' is missing from the entries database")
            }
            var new = old
            try transform(&new)
            guard new.dn == old.dn else {
                throw StoreError(.unwillingToPerform, "a modify cannot change the DN; rename the entry instead")
            }
            if let violation = context.validate(new, options: validation) {
                var error = StoreError(violation)
                if violation.resultCode == .namingViolation { error.resultCode = .notAllowedOnRDN }
                throw error
            }
            try transaction.put(entries, key: id.bytes, value: EntryCoder.encode(new))
            try reindexEntry(id, old: old, new: new, plan: state.active.plan, in: &transaction)
            if let check {
                try check(new, WriteLookup(store: self, transactionHandle: transaction.transactionHandle, entryID: id))
            }
            try beforeCommit?()
            return new
        }
    }

    /// Renames the entry named `dn` to `newRDN`, under `newSuperior` when given (ModifyDN, RFC 4511 §4.9), with
    /// its whole subtree. Errors: noSuchObject (the entry or the new superior), entryAlreadyExists (the new DN),
    /// unwillingToPerform (a new superior inside the moved subtree), schema violations of the renamed entry.
    ///
    /// Cost: the renamed entry is rewritten and re-indexed; each descendant's stored DN and `dn2id` key are
    /// rewritten (their attributes, hence indexes and counters, do not change). One transaction, however large
    /// the subtree. `transform`, when given, changes the renamed entry in the same transaction (the server
    /// stamps modifyTimestamp and modifiersName there), before validation; it must not change the DN. Returns
    /// the new DN. `beforeCommit` as for ``add(_:validation:beforeCommit:)``.
    @discardableResult
    package func rename(
        dn: DistinguishedName,
        newRDN: RelativeDistinguishedName,
        deleteOldRDN: Bool,
        newSuperior: DistinguishedName? = nil,
        validation: EntryValidationOptions = .serverWrite,
        check: WriteCheck? = nil,
        cascade: WriteCascade? = nil,
        beforeCommit: (() throws -> Void)? = nil,
        transform: ((inout Entry) throws -> Void)? = nil
    ) throws(StoreError) -> DistinguishedName {
        guard !dn.isRoot else { throw StoreError(.unwillingToPerform, "the root DSE cannot be renamed") }
        let oldKey = try keyMaker.key(for: dn)
        let superiorDN = newSuperior ?? dn.parent() ?? .root
        let newDN = superiorDN.child(newRDN)
        let newKey = try keyMaker.key(for: newDN)
        let newIsNamingContext = namingContextKeys.contains(newKey)
        let superiorKey = try keyMaker.key(for: superiorDN)
        let editor = EntryEditor(context: context)
        return try write { transaction in
            let id = try resolve(dn, key: oldKey, in: transaction)
            guard let old = try load(id, in: transaction), let oldParent = try tree.parent(of: id, in: transaction)
            else {
                throw StoreError(.other, "entry \(id) of '\(dn)' is missing from the entries or parents database")
            }
            let newParent: EntryID
            if newIsNamingContext {
                newParent = .root
            } else if !superiorKey.isEmpty, let found = try tree.id(forKey: superiorKey, in: transaction) {
                newParent = found
            } else {
                // No matched DN for the new superior, as slapd: the matched DN speaks of the entry named.
                throw StoreError(.noSuchObject, "the new superior '\(superiorDN)' does not exist")
            }
            if newParent != .root, try tree.isInSubtree(newParent, of: id, in: transaction) {
                throw StoreError(.unwillingToPerform, "the new superior '\(superiorDN)' is inside the renamed subtree")
            }
            if newKey != oldKey, try tree.id(forKey: newKey, in: transaction) != nil {
                throw StoreError(.entryAlreadyExists, "an entry named '\(newDN)' exists")
            }

            var new = editor.renamed(old, to: newDN, deleteOldRDN: deleteOldRDN)
            if let transform {
                try transform(&new)
                guard new.dn == newDN else {
                    throw StoreError(.unwillingToPerform, "a rename's change of attributes cannot change the DN")
                }
            }
            if let violation = context.validate(new, options: validation) { throw StoreError(violation) }

            // The descendants first, while their old keys still read the same.
            let descendants = try tree.subtree(of: id, in: transaction).dropFirst()
            var moved: [(EntryID, Entry, [UInt8], [UInt8])] = []
            for descendant in descendants {
                guard let entry = try load(descendant, in: transaction),
                    let renamedDN = entry.dn.replacingSuffix(dn, with: newDN)
                else {
                    throw StoreError(.other, "entry \(descendant) below '\(dn)' is missing or misnamed")
                }
                var renamed = entry
                renamed.dn = renamedDN
                moved.append((descendant, renamed, try keyMaker.key(for: entry.dn), try keyMaker.key(for: renamedDN)))
            }
            for (_, _, key, _) in moved { try transaction.delete(tree.dn2id, key: key) }
            for (descendant, renamed, _, key) in moved {
                try transaction.put(tree.dn2id, key: key, value: descendant.bytes, flags: .noOverwrite)
                try transaction.put(entries, key: descendant.bytes, value: EntryCoder.encode(renamed))
            }

            try tree.unlink(id, key: oldKey, parent: oldParent, in: &transaction)
            try tree.link(id, key: newKey, parent: newParent, in: &transaction)
            try transaction.put(entries, key: id.bytes, value: EntryCoder.encode(new))
            try reindexEntry(id, old: old, new: new, plan: state.active.plan, in: &transaction)
            if let check {
                try check(new, WriteLookup(store: self, transactionHandle: transaction.transactionHandle, entryID: id))
            }
            if let cascade { try applyCascade(cascade, entry: old, id: id, in: &transaction) }
            try beforeCommit?()
            return newDN
        }
    }

    // MARK: - Reading

    /// The entry named `dn`; `nil` when there is none.
    package func entry(dn: DistinguishedName) throws(StoreError) -> Entry? {
        guard !dn.isRoot else { return nil }
        let key = try keyMaker.key(for: dn)
        return try read { transaction in
            guard let id = try tree.id(forKey: key, in: transaction) else { return nil }
            return try load(id, in: transaction)
        }
    }

    /// The id of the entry named `dn`; `nil` when there is none.
    package func id(of dn: DistinguishedName) throws(StoreError) -> EntryID? {
        guard !dn.isRoot else { return nil }
        let key = try keyMaker.key(for: dn)
        return try read { transaction in try tree.id(forKey: key, in: transaction) }
    }

    /// The entry with id `id`; `nil` when there is none.
    package func entry(id: EntryID) throws(StoreError) -> Entry? {
        try read { transaction in try load(id, in: transaction) }
    }
}

import LDAPProtocol
import Schema

extension DirectoryStore {
    /// Validates `entry` (server-write rules: operational attributes accepted) and computes what the write needs,
    /// with index keys numbered by `slots` (made from the store's active plan). Fails with the schema's or the
    /// DN's error.
    func prepareBulkEntry(_ entry: Entry, slots: IndexSlots) throws(StoreError) -> BulkEntry {
        guard !entry.dn.isRoot else { throw StoreError(.unwillingToPerform, "the root DSE is not stored") }
        let validated: ValidatedAttributes
        do {
            validated = try context.validatedAttributes(entry, options: .serverWrite)
        } catch {
            throw StoreError(error)
        }
        let (key, parentKey) = try keyMaker.keys(forEntryAndParentOf: entry.dn)
        let indexer = indexer(state.active.plan)
        return BulkEntry(
            dn: entry.dn.description,
            key: key,
            parentKey: namingContextKeys.contains(key) ? nil : parentKey,
            encoded: EntryCoder.encode(entry),
            indexKeys: indexer.bulkIndexKeys(of: entry, validated: validated, slots: slots),
            counterKeys: indexer.counterKeys(of: entry, validated: validated))
    }

    /// The slots of the store's active index plan, for ``prepareBulkEntry(_:slots:)`` and ``addBatch(_:slots:)``.
    func bulkIndexSlots() -> IndexSlots {
        IndexSlots(plan: state.active.plan, context: context)
    }

    /// Adds `batch` in one write transaction, in order (a parent before its children, as in the file): the tree,
    /// the indexes and the counters as ``add(_:validation:)`` keeps them. The first entry that cannot be added
    /// (existing DN: entryAlreadyExists; no parent: noSuchObject) aborts the whole transaction with
    /// ``BulkBatchFailure``.
    ///
    /// Ids are allocated in batch order; entries and parents are appended (`MDB_APPEND`: ids only grow); index keys
    /// are written database by database (slot by slot), each entry's in its order. (Sorting each database's keys
    /// first was measured: 8 % slower overall.) The ids under an index or `children` key are appended too
    /// (`MDB_APPENDDUP`, see ``appendPut(_:_:key:value:)``): a new id is larger than every stored one, and LMDB then
    /// fills each page of a long id list instead of splitting it in half (a fifth fewer pages in use at 100,000
    /// people, docs/benchmarks.md).
    func addBatch(_ batch: [BulkEntry], slots: IndexSlots) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        let databases = slots.names.map { indexDatabases[$0] }
        return try environment.write { transaction in
            let first =
                try transaction.get(meta, key: StoreLayout.nextIDKey).flatMap { EntryID(bytes: $0) }
                ?? EntryID(rawValue: 1)
            var counterDeltas: [[UInt8]: Int] = [:]
            for (index, item) in batch.enumerated() {
                let id = EntryID(rawValue: first.rawValue + UInt64(index))
                if try tree.id(forKey: item.key, in: transaction) != nil {
                    throw BulkBatchFailure(
                        index: index, error: StoreError(.entryAlreadyExists, "an entry named '\(item.dn)' exists"))
                }
                let parent: EntryID
                if let parentKey = item.parentKey {
                    guard let found = try tree.id(forKey: parentKey, in: transaction) else {
                        throw BulkBatchFailure(
                            index: index,
                            error: StoreError(
                                .noSuchObject,
                                "the parent of '\(item.dn)' does not exist (parents must come before their children)"
                            ))
                    }
                    parent = found
                } else {
                    parent = .root
                }
                let idBytes = id.bytes
                try transaction.put(entries, key: idBytes, value: item.encoded, flags: .append)
                try transaction.put(tree.dn2id, key: item.key, value: idBytes, flags: .noOverwrite)
                try Self.appendPut(&transaction, tree.children, key: parent.bytes, value: idBytes)
                try transaction.put(tree.parents, key: idBytes, value: parent.bytes, flags: .append)
                for key in item.counterKeys { counterDeltas[key, default: 0] += 1 }
            }
            // Index keys, slot by slot: each entry's keys are sorted by slot, read with a cursor per entry. The entries
            // are read in place (`batch[index]…`): a copy of a `BulkEntry` per entry and slot retained its seven
            // arrays, 40 % of this loop's time.
            var valueCursor = [Int](repeating: 0, count: batch.count)
            var packedCursor = [Int](repeating: 0, count: batch.count)
            let idBytes = batch.indices.map { EntryID(rawValue: first.rawValue + UInt64($0)).bytes }
            let presenceValue: [UInt8] = [1]
            for (slot, database) in databases.enumerated() {
                for index in batch.indices {
                    var position = valueCursor[index]
                    while position < batch[index].indexKeys.values.count,
                        batch[index].indexKeys.values[position].slot == slot
                    {
                        if let database {
                            try Self.appendPut(
                                &transaction, database, key: batch[index].indexKeys.values[position].key,
                                value: idBytes[index])
                        }
                        position += 1
                    }
                    valueCursor[index] = position
                    position = packedCursor[index]
                    while position < batch[index].indexKeys.packed.count,
                        BulkIndexKeys.slot(of: batch[index].indexKeys.packed[position]) == slot
                    {
                        let packed = batch[index].indexKeys.packed[position]
                        if let database {
                            if BulkIndexKeys.isPresence(packed) {
                                // `pres:` keys are ids: appended, as in `entries`.
                                try transaction.put(database, key: idBytes[index], value: presenceValue, flags: .append)
                            } else {
                                try idBytes[index].withUnsafeBytes { value in
                                    try BulkIndexKeys.withGram(packed) { key in
                                        try Self.appendPut(&transaction, database, key: key, value: value)
                                    }
                                }
                            }
                        }
                        position += 1
                    }
                    packedCursor[index] = position
                }
            }
            try counterBook.apply(counterDeltas, in: &transaction)
            let next = EntryID(rawValue: first.rawValue + UInt64(batch.count))
            try transaction.put(meta, key: StoreLayout.nextIDKey, value: next.bytes)
            return batch.count
        }
    }

    /// Adds the id `value` under `key` of a `duplicateSort` database as its last value (`MDB_APPENDDUP`). When the
    /// key already holds this id or a larger one (not expected in a bulk load: ids only grow) LMDB refuses with
    /// `MDB_KEYEXIST` and nothing is written; the pair is then added by an ordinary put, which keeps the values
    /// sorted and ignores an existing pair.
    static func appendPut(
        _ transaction: inout LMDBWriteTransaction, _ database: LMDBDatabase,
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer
    ) throws {
        do {
            try transaction.put(database, key: key, value: value, flags: .appendDuplicate)
        } catch let error as LMDBError where error.kind == .keyExists {
            try transaction.put(database, key: key, value: value)
        }
    }

    /// ``appendPut(_:_:key:value:)`` of byte arrays.
    static func appendPut(
        _ transaction: inout LMDBWriteTransaction, _ database: LMDBDatabase, key: [UInt8], value: [UInt8]
    ) throws {
        try key.withUnsafeBytes { key in
            try value.withUnsafeBytes { value in try appendPut(&transaction, database, key: key, value: value) }
        }
    }
}

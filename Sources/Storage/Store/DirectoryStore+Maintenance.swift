import Schema

extension DirectoryStore {
    /// The maintained counters (kept in the transaction of each write; never computed here).
    package func counts() throws(StoreError) -> DirectoryCounts {
        try read { transaction in try counterBook.all(in: transaction) }
    }

    /// The counters recounted from every entry (a full scan, for `annuaire verify` and tests): equal to
    /// ``counts()`` when the store is consistent.
    package func recount() throws(StoreError) -> DirectoryCounts {
        let indexer = indexer(state.active.plan)
        return try read { transaction in
            var counts = DirectoryCounts()
            try transaction.forEach(in: entries) { stored in
                let id = EntryID(bytes: stored.key) ?? .root
                let entry: Entry
                do throws(EntryDecodingError) {
                    entry = try EntryCoder.decode(stored.value)
                } catch {
                    throw StoreError(error, id: id)
                }
                for key in indexer.counterKeys(of: entry) {
                    if let counter = CounterKey(bytes: key) { counts.counters[counter, default: 0] += 1 }
                }
                return true
            }
            return counts
        }
    }

    /// Rebuilds every index database and counter of the configuration the store was opened with, from the
    /// entries, in one write transaction, and records that configuration: needed after the configuration
    /// changed (``isReindexPending``), and a repair otherwise. Readers go on meanwhile with the old indexes;
    /// searches whose snapshot predates the switch do without indexes.
    package func reindex() throws(StoreError) {
        let requested = state.requested
        let previous = state.active
        let indexer = indexer(requested)
        do throws(StoreError) {
            try write { transaction in
                for name in requested.databaseNames(context: context) {
                    if let database = indexDatabases[name] { try transaction.removeAll(database) }
                }
                try transaction.removeAll(counterBook.database)
                var counterDeltas: [[UInt8]: Int] = [:]
                var pending: [(EntryID, Set<IndexEntry>)] = []
                try transaction.forEach(in: entries) { stored in
                    guard let id = EntryID(bytes: stored.key) else { return true }
                    let entry: Entry
                    do throws(EntryDecodingError) {
                        entry = try EntryCoder.decode(stored.value)
                    } catch {
                        throw StoreError(error, id: id)
                    }
                    pending.append((id, indexer.indexEntries(of: entry)))
                    for key in indexer.counterKeys(of: entry) { counterDeltas[key, default: 0] += 1 }
                    return true
                }
                for (id, keys) in pending {
                    for entry in keys {
                        guard let database = indexDatabases[entry.database] else { continue }
                        if let key = entry.key {
                            try transaction.put(database, key: key, value: id.bytes)
                        } else {
                            try transaction.put(database, key: id.bytes, value: [1])
                        }
                    }
                }
                try counterBook.apply(counterDeltas, in: &transaction)
                let generation = previous.generation + 1
                try transaction.put(meta, key: StoreLayout.indexesKey, value: Array(requested.canonicalText.utf8))
                try transaction.put(meta, key: StoreLayout.generationKey, value: EntryID(rawValue: generation).bytes)
                // Switched before the commit, under the writer lock: no other write sees the old plan with the new
                // generation. Undone below if the commit fails.
                state.active = .init(generation: generation, plan: requested)
            }
        } catch {
            state.active = previous
            throw error
        }
    }
}

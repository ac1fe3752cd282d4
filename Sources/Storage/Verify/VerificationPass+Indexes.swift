import LDAPProtocol
import Schema

extension VerificationPass {
    /// Every index key `entry` produces under the recorded configuration is in its database.
    mutating func checkIndexes(
        _ id: EntryID, entry: Entry, in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws {
        let idBytes = id.bytes
        for indexEntry in indexer.indexEntries(of: entry) {
            guard let database = indexDatabases[indexEntry.database] else { continue }  // Reported missing.
            recorder.report.indexPairs += 1
            let present: Bool
            if let key = indexEntry.key {
                present = try transaction.contains(database, key: key, value: idBytes)
            } else {
                present = try transaction.contains(database, key: idBytes)
            }
            if present {
                presentIndexPairs[database.name, default: 0] += 1
            } else {
                recorder.record(
                    .missingIndexKey, database: database.name,
                    key: indexEntry.key.map(PrintableKey.text) ?? id.description, id: id, dn: entry.dn.description,
                    detail: "the entry has this value; the index lacks the pair")
            }
        }
    }

    /// Names the pairs no entry produces, in each index database holding more pairs than the entries accounted
    /// for (the others hold exactly the expected pairs).
    mutating func scanIndexes(in transaction: borrowing some LMDBReadable & ~Copyable) throws {
        for (name, database) in indexDatabases.sorted(by: { $0.key < $1.key }) {
            guard try transaction.statistics(database).entries != presentIndexPairs[name, default: 0] else { continue }
            let isPresence = !database.flags.contains(.duplicateSort)
            try transaction.withCursor(database) { cursor in
                var record = try cursor.first()
                while let current = record {
                    try checkIndexPair(
                        database, key: isPresence ? nil : current.key,
                        idBytes: isPresence ? current.key : current.value,
                        in: transaction)
                    record = try cursor.next()
                }
            }
        }
    }

    private mutating func checkIndexPair(
        _ database: LMDBDatabase, key: UnsafeRawBufferPointer?, idBytes: UnsafeRawBufferPointer,
        in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws {
        let keyText = key.map(PrintableKey.text) ?? PrintableKey.id(idBytes)
        guard let id = EntryID(bytes: idBytes) else {
            recorder.record(
                .malformedRecord, database: database.name, key: keyText,
                detail: "an entry id is 8 bytes; this one has \(idBytes.count)")
            return
        }
        let produced: Set<IndexEntry>
        if let cached = indexEntriesCache[id] {
            produced = cached
        } else {
            switch try lookup(id, in: transaction) {
            case .missing:
                recorder.record(
                    .danglingIndexKey, database: database.name, key: keyText, id: id,
                    detail: "points to \(id), which has no entry")
                return
            case .undecodable:
                return  // Reported with the entry.
            case .entry(let entry):
                produced = indexer.indexEntries(of: entry)
                if indexEntriesCache.count >= Self.cacheLimit { indexEntriesCache.removeAll(keepingCapacity: true) }
                indexEntriesCache[id] = produced
            }
        }
        if !produced.contains(IndexEntry(database: database.name, key: key.map { Array($0) })) {
            let dn = (try? lookup(id, in: transaction)).flatMap { lookup -> String? in
                if case .entry(let entry) = lookup { return entry.dn.description }
                return nil
            }
            recorder.record(
                .danglingIndexKey, database: database.name, key: keyText, id: id, dn: dn,
                detail: "points to \(id), which does not have this value")
        }
    }
}

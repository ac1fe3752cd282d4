import LDAPProtocol

/// Reads and updates the `counters` database inside the write transaction of the change they count.
struct CounterBook: Sendable {
    let database: LMDBDatabase
    let maxKeySize: Int

    /// Adds `deltas` (key bytes → change) to the stored counts; a count reaching zero is deleted. A count that
    /// would go negative means the database is inconsistent: `other`, and the write is abandoned.
    func apply(_ deltas: [[UInt8]: Int], in transaction: inout LMDBWriteTransaction) throws {
        for (key, delta) in deltas where delta != 0 {
            let current = try transaction.view(database, key: key).flatMap(Self.decode) ?? 0
            let updated = current + delta
            guard updated >= 0 else {
                throw StoreError(
                    .other,
                    "counter \(CounterKey(bytes: key)?.description ?? "?") would go negative; run reindex()")
            }
            if updated == 0 {
                try transaction.delete(database, key: key)
            } else {
                try transaction.put(database, key: key, value: Self.encode(updated))
            }
        }
    }

    /// The change between the counter keys of an entry before and after a write.
    static func deltas(old: Set<[UInt8]>, new: Set<[UInt8]>) -> [[UInt8]: Int] {
        var deltas: [[UInt8]: Int] = [:]
        for key in old.subtracting(new) { deltas[key] = -1 }
        for key in new.subtracting(old) { deltas[key] = 1 }
        return deltas
    }

    /// Every counter.
    func all(in transaction: borrowing some LMDBReadable & ~Copyable) throws -> DirectoryCounts {
        var counts = DirectoryCounts()
        try transaction.forEach(in: database) { entry in
            if let key = CounterKey(bytes: entry.keyBytes), let value = Self.decode(entry.value) {
                counts.counters[key] = value
            }
            return true
        }
        return counts
    }

    static func encode(_ value: Int) -> [UInt8] {
        EntryID(rawValue: UInt64(value)).bytes
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) -> Int? {
        EntryID(bytes: bytes).map { Int(truncatingIfNeeded: $0.rawValue) }
    }
}

extension VerificationPass {
    /// Each stored counter equals the recount, and every recounted counter is stored (zero counts are not).
    mutating func checkCounters(in transaction: borrowing some LMDBReadable & ~Copyable) throws {
        var expected = recount
        try transaction.withCursor(counters) { cursor in
            var record = try cursor.first()
            while let current = record {
                let key = Array(current.key)
                let name = CounterKey(bytes: key)?.description ?? PrintableKey.text(key)
                let counted = expected.removeValue(forKey: key) ?? 0
                recorder.report.counters += 1
                if let stored = CounterBook.decode(current.value) {
                    if stored != counted {
                        recorder.record(
                            .counterDrift, database: counters.name, key: name,
                            detail: "stored \(stored), recounted \(counted)")
                    }
                } else {
                    recorder.record(
                        .malformedRecord, database: counters.name, key: name,
                        detail: "a count is 8 bytes; this one has \(current.value.count)")
                }
                record = try cursor.next()
            }
        }
        for (key, counted) in expected.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            recorder.report.counters += 1
            recorder.record(
                .counterDrift, database: counters.name,
                key: CounterKey(bytes: key)?.description ?? PrintableKey.text(key),
                detail: "stored 0 (absent), recounted \(counted)")
        }
    }

    /// `nextID` is above every entry id (ids are never reused).
    mutating func checkMeta(in transaction: borrowing some LMDBReadable & ~Copyable) throws {
        guard let bytes = try transaction.view(meta, key: StoreLayout.nextIDKey), let next = EntryID(bytes: bytes)
        else {
            recorder.record(
                .badMeta, database: meta.name, key: PrintableKey.text(StoreLayout.nextIDKey),
                detail: "no 8-byte nextID record")
            return
        }
        if let highestID, highestID >= next {
            recorder.record(
                .badMeta, database: meta.name, key: PrintableKey.text(StoreLayout.nextIDKey),
                detail: "nextID is \(next.rawValue), but entry \(highestID) exists (ids would be reused)")
        }
    }
}

import LDAPProtocol
import Schema

/// One run of ``StoreVerifier`` inside its read transaction: the databases, what the entries accounted for so
/// far, and the findings.
struct VerificationPass {
    let entries: LMDBDatabase
    let meta: LMDBDatabase
    let dn2id: LMDBDatabase
    let children: LMDBDatabase
    let parents: LMDBDatabase
    let counters: LMDBDatabase
    let indexDatabases: [String: LMDBDatabase]
    let indexer: EntryIndexer
    let keyMaker: DNKeyMaker
    let namingContextKeys: Set<[UInt8]>
    var recorder: VerificationRecorder

    /// `dn2id` records that map an entry's DN to it.
    var matchedDNs = 0
    /// `parents` records of existing entries.
    var presentParents = 0
    /// `children` pairs (parent, entry) found for existing entries.
    var presentChildren = 0
    /// Per index database, the expected key/id pairs found.
    var presentIndexPairs: [String: Int] = [:]
    /// The counters recounted from the entries (database key → count).
    var recount: [[UInt8]: Int] = [:]
    /// The highest entry id seen.
    var highestID: EntryID?
    /// Recently computed index entries of entries, for the reverse index scans (bounded).
    var indexEntriesCache: [EntryID: Set<IndexEntry>] = [:]
    static let cacheLimit = 4096

    /// An id's entry as the reverse scans see it.
    enum Lookup {
        case missing
        case undecodable
        case entry(Entry)
    }

    /// Every check, in order: the entries one by one, then the reverse scans of the databases whose record
    /// counts exceed what the entries accounted for, then the counters and `meta`.
    mutating func run(in transaction: borrowing some LMDBReadable & ~Copyable) throws {
        recorder.report.transactionID = transaction.transactionID
        try transaction.withCursor(entries) { cursor in
            var stored = try cursor.first()
            while let current = stored {
                try checkEntry(key: current.key, value: current.value, in: transaction)
                stored = try cursor.next()
            }
        }
        try scanTree(in: transaction)
        try scanIndexes(in: transaction)
        try checkCounters(in: transaction)
        try checkMeta(in: transaction)
    }

    /// The checks of one `entries` record.
    mutating func checkEntry(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws {
        recorder.report.entries += 1
        guard let id = EntryID(bytes: key) else {
            recorder.record(
                .malformedRecord, database: entries.name, key: PrintableKey.hex(key),
                detail: "an entry id is 8 bytes; this key has \(key.count)")
            return
        }
        highestID = id
        let entry: Entry
        do {
            entry = try EntryCoder.decode(value)
        } catch {
            recorder.record(
                .undecodableEntry, database: entries.name, key: id.description, id: id,
                detail: "\(error) (\(value.count) bytes)")
            return
        }
        do {
            let dnKey = try keyMaker.key(for: entry.dn)
            try checkTree(id, entry: entry, dnKey: dnKey, in: transaction)
        } catch let error as StoreError {
            recorder.record(
                .invalidDN, database: entries.name, key: id.description, id: id, dn: entry.dn.description,
                detail: error.message)
        }
        try checkIndexes(id, entry: entry, in: transaction)
        for key in indexer.counterKeys(of: entry) { recount[key, default: 0] += 1 }
    }

    /// The entry `id` holds, for the reverse scans.
    func lookup(_ id: EntryID, in transaction: borrowing some LMDBReadable & ~Copyable) throws -> Lookup {
        guard let bytes = try transaction.view(entries, key: id.bytes) else { return .missing }
        guard let entry = try? EntryCoder.decode(bytes) else { return .undecodable }
        return .entry(entry)
    }
}

import LDAPProtocol
import Schema

/// The directory kept in an LMDB environment: entries by id, the DN tree, attribute indexes and counters
/// (layout in docs/storage.md §2).
///
/// Every write (`add`, `delete`, `modify`, `rename`, `reindex`) is one LMDB write transaction: the entry, the
/// tree, every index and every counter change together, or — when anything fails, a schema violation as much
/// as a thrown error — nothing does. Reads (`entry`, `search`, `counts`) are read-only transactions on a
/// snapshot and never wait for a write.
///
/// The store validates entries against the schema and keeps what it is given: operational attributes
/// (`entryUUID`, timestamps, `creatorsName`…) are the caller's to supply.
///
/// All methods block (I/O, `fsync`, the writer lock): call them off NIO event loops.
package final class DirectoryStore: Sendable {
    /// The environment the databases live in.
    package let environment: LMDBEnvironment
    /// The schema entries are validated and values normalised with.
    package let context: SchemaContext
    /// The DNs of the naming contexts: the entries that may be added without a parent.
    package let namingContexts: [DistinguishedName]

    let entries: LMDBDatabase
    let meta: LMDBDatabase
    let tree: DirectoryTree
    let counterBook: CounterBook
    /// Every index database opened, by name (`eq:2.5.4.3`…).
    let indexDatabases: [String: LMDBDatabase]
    let keyMaker: DNKeyMaker
    let namingContextKeys: Set<[UInt8]>
    let state: StoreState

    /// Opens the store in `environment` (creating its databases when new).
    ///
    /// `indexes` is the configuration to index with. A new store records it; a store recorded with another one
    /// keeps using the recorded one (the new one is ``isReindexPending``) until ``reindex()``.
    package init(
        environment: LMDBEnvironment,
        context: SchemaContext,
        namingContexts: [DistinguishedName],
        indexes: IndexConfiguration = .partnerDirectory
    ) throws(StoreError) {
        self.environment = environment
        self.context = context
        self.namingContexts = namingContexts
        let keyMaker = DNKeyMaker(context: context, maxKeySize: environment.maxKeySize)
        self.keyMaker = keyMaker
        var contextKeys: Set<[UInt8]> = []
        for dn in namingContexts where !dn.isRoot { contextKeys.insert(try keyMaker.key(for: dn)) }
        self.namingContextKeys = contextKeys
        let requested = try IndexPlan(indexes, context: context)

        do {
            entries = try environment.openDatabase(StoreLayout.entries)
            meta = try environment.openDatabase(StoreLayout.meta)
            let setFlags: LMDBDatabase.Flags = [.create, .duplicateSort, .duplicateFixed]
            tree = DirectoryTree(
                dn2id: try environment.openDatabase(StoreLayout.dn2id),
                children: try environment.openDatabase(StoreLayout.children, flags: setFlags),
                parents: try environment.openDatabase(StoreLayout.parents))
            counterBook = CounterBook(
                database: try environment.openDatabase(StoreLayout.counters), maxKeySize: environment.maxKeySize)

            // The recorded configuration, or this one for a new store. A read-only environment (a tool beside a
            // running server) can only read what is recorded.
            let meta = self.meta
            let recorded: (text: String, generation: UInt64)
            if environment.configuration.access == .readOnly {
                recorded = try environment.read { transaction throws -> (text: String, generation: UInt64) in
                    guard let format = try transaction.get(meta, key: StoreLayout.formatKey),
                        format == [StoreLayout.version]
                    else {
                        throw StoreError(.other, "no directory store of layout version \(StoreLayout.version) here")
                    }
                    let text = try transaction.get(meta, key: StoreLayout.indexesKey) ?? []
                    let generation =
                        try transaction.get(meta, key: StoreLayout.generationKey)
                        .flatMap { EntryID(bytes: $0)?.rawValue } ?? 0
                    return (String(decoding: text, as: UTF8.self), generation)
                }
            } else {
                recorded = try environment.write { transaction throws -> (text: String, generation: UInt64) in
                    if let format = try transaction.get(meta, key: StoreLayout.formatKey) {
                        guard format == [StoreLayout.version] else {
                            throw StoreError(
                                .other,
                                "the store's layout version is \(format.first.map(String.init) ?? "?"); this release "
                                    + "reads version \(StoreLayout.version)")
                        }
                        let text = try transaction.get(meta, key: StoreLayout.indexesKey) ?? []
                        let generation =
                            try transaction.get(meta, key: StoreLayout.generationKey)
                            .flatMap { EntryID(bytes: $0)?.rawValue } ?? 0
                        return (String(decoding: text, as: UTF8.self), generation)
                    }
                    try transaction.put(meta, key: StoreLayout.formatKey, value: [StoreLayout.version])
                    try transaction.put(meta, key: StoreLayout.nextIDKey, value: EntryID(rawValue: 1).bytes)
                    try transaction.put(meta, key: StoreLayout.indexesKey, value: Array(requested.canonicalText.utf8))
                    try transaction.put(meta, key: StoreLayout.generationKey, value: EntryID(rawValue: 1).bytes)
                    return (requested.canonicalText, 1)
                }
            }
            let active: IndexPlan
            if recorded.text == requested.canonicalText {
                active = requested
            } else {
                var configuration = IndexPlan.configuration(parsing: recorded.text)
                configuration.indexes = configuration.indexes.filter { context.attributeType(named: $0.key) != nil }
                configuration.countedAttributes.removeAll { context.attributeType(named: $0) == nil }
                active = try IndexPlan(configuration, context: context)
            }
            state = StoreState(active: .init(generation: recorded.generation, plan: active), requested: requested)

            // Read-only, a requested index that was never built does not exist to be opened.
            let readOnly = environment.configuration.access == .readOnly
            let names = Set(
                active.databaseNames(context: context) + (readOnly ? [] : requested.databaseNames(context: context)))
            let needed = StoreLayout.fixedDatabaseCount + names.count
            guard needed <= Int(environment.configuration.maxDatabases) else {
                throw StoreError(
                    .other,
                    "the index configuration needs \(needed) named databases; LMDBConfiguration.maxDatabases is "
                        + "\(environment.configuration.maxDatabases)")
            }
            var databases: [String: LMDBDatabase] = [:]
            for name in names.sorted() {
                let flags: LMDBDatabase.Flags = name.hasPrefix("pres:") ? [.create] : setFlags
                databases[name] = try environment.openDatabase(name, flags: flags)
            }
            indexDatabases = databases
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Whether the store was opened with an index configuration other than the one it was indexed with; the
    /// recorded one stays in use until ``reindex()``.
    package var isReindexPending: Bool {
        state.active.plan.canonicalText != state.requested.canonicalText
    }

    // MARK: - Shared helpers

    func indexer(_ plan: IndexPlan) -> EntryIndexer {
        EntryIndexer(context: context, plan: plan, maxKeySize: environment.maxKeySize)
    }

    /// Runs `body` in the write transaction, as a `StoreError` when anything fails.
    func write<T>(_ body: (inout LMDBWriteTransaction) throws -> T) throws(StoreError) -> T {
        do {
            return try environment.write(body)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Runs `body` in a read-only transaction, as a `StoreError` when anything fails.
    func read<T>(_ body: (borrowing LMDBReadTransaction) throws -> T) throws(StoreError) -> T {
        do {
            return try environment.read(body)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The entry stored under `id`.
    func load(_ id: EntryID, in transaction: borrowing some LMDBReadable & ~Copyable) throws -> Entry? {
        guard let bytes = try transaction.view(entries, key: id.bytes) else { return nil }
        do {
            return try EntryCoder.decode(bytes)
        } catch {
            throw StoreError(error, id: id)
        }
    }

    /// The id of the entry named `dn` (whose key is `key`), or noSuchObject with the deepest existing superior
    /// as matched DN.
    func resolve(
        _ dn: DistinguishedName, key: [UInt8], in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws -> EntryID {
        if !dn.isRoot, let id = try tree.id(forKey: key, in: transaction) { return id }
        throw try noSuchObject(dn, in: transaction)
    }

    /// noSuchObject for `dn`, with the deepest existing superior (as stored) as matched DN.
    func noSuchObject(_ dn: DistinguishedName, in transaction: borrowing some LMDBReadable & ~Copyable) throws
        -> StoreError
    {
        var matched = DistinguishedName.root
        var superior = dn.parent()
        while let candidate = superior, !candidate.isRoot {
            if let key = try? keyMaker.key(for: candidate), let id = try tree.id(forKey: key, in: transaction),
                let entry = try load(id, in: transaction)
            {
                matched = entry.dn
                break
            }
            superior = candidate.parent()
        }
        return StoreError(.noSuchObject, "no entry named '\(dn)'", matchedDN: matched)
    }

    /// Writes the index and counter changes between `old` and `new` (either `nil` for an add or a delete).
    func reindexEntry(
        _ id: EntryID, old: Entry?, new: Entry?, plan: IndexPlan, in transaction: inout LMDBWriteTransaction
    ) throws {
        let indexer = indexer(plan)
        let before = old.map(indexer.indexEntries) ?? []
        let after = new.map(indexer.indexEntries) ?? []
        for entry in before.subtracting(after) {
            guard let database = indexDatabases[entry.database] else { continue }
            if let key = entry.key {
                try transaction.delete(database, key: key, value: id.bytes)
            } else {
                try transaction.delete(database, key: id.bytes)
            }
        }
        for entry in after.subtracting(before) {
            guard let database = indexDatabases[entry.database] else { continue }
            if let key = entry.key {
                try transaction.put(database, key: key, value: id.bytes)
            } else {
                try transaction.put(database, key: id.bytes, value: [1])
            }
        }
        let deltas = CounterBook.deltas(
            old: old.map(indexer.counterKeys) ?? [], new: new.map(indexer.counterKeys) ?? [])
        try counterBook.apply(deltas, in: &transaction)
    }

    /// The next entry id, taken.
    func allocateID(in transaction: inout LMDBWriteTransaction) throws -> EntryID {
        let next =
            try transaction.get(meta, key: StoreLayout.nextIDKey).flatMap { EntryID(bytes: $0) }
            ?? EntryID(rawValue: 1)
        try transaction.put(meta, key: StoreLayout.nextIDKey, value: EntryID(rawValue: next.rawValue + 1).bytes)
        return next
    }

    /// Validates `entry`, as a `StoreError`.
    func validate(_ entry: Entry, options: EntryValidationOptions) throws(StoreError) {
        if let violation = context.validate(entry, options: options) { throw StoreError(violation) }
    }
}

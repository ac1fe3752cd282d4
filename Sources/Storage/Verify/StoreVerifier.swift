import LDAPProtocol
import Schema

/// Checks a store against itself, on one snapshot (one read transaction), without writing: `annuaire verify`,
/// and `annuaire backup` on its copy.
///
/// The entries are the reference. One pass over `entries` decodes each entry and checks, by point lookups, that
/// `dn2id` maps its normalised DN to it, that `parents` and `children` place it under the entry its DN names
/// (which must exist: otherwise it is an orphan) without a cycle, that every index key the recorded index
/// configuration gives it is in its index database, and recounts the counters. The reverse direction (records
/// no entry accounts for: a `dn2id` key of a deleted entry, an index key pointing at a missing id) costs nothing
/// when the store is consistent: each database's record count (`mdb_stat`) is compared with the records the
/// entries accounted for, and only a database with more records than that is scanned to name them. Memory stays
/// bounded by one entry, the counters and the findings kept (``maximumFindings``), whatever the store's size.
///
/// Works on a read-only environment (beside a running server): it opens databases without creating them, and
/// reads the index configuration recorded in `meta` rather than relying on a ``DirectoryStore``.
package struct StoreVerifier: Sendable {
    /// The environment to check.
    package let environment: LMDBEnvironment
    /// The schema the store was written with (DN keys and index keys are recomputed with it).
    package let context: SchemaContext
    /// The naming contexts: the entries expected directly under the root.
    package let namingContexts: [DistinguishedName]
    /// The configuration the caller would open the store with, to report a pending `reindex()`; the recorded
    /// configuration is the one checked.
    package var requestedIndexes: IndexConfiguration?
    /// How many findings the report keeps (all are counted).
    package var maximumFindings = 1000

    /// Makes a verifier.
    package init(
        environment: LMDBEnvironment,
        context: SchemaContext,
        namingContexts: [DistinguishedName],
        requestedIndexes: IndexConfiguration? = nil
    ) {
        self.environment = environment
        self.context = context
        self.namingContexts = namingContexts
        self.requestedIndexes = requestedIndexes
    }

    /// Checks the store. Inconsistencies are findings of the report; what prevents checking at all (not a store,
    /// a layout this release cannot read, an LMDB failure) throws.
    package func verify() throws(StoreError) -> VerificationReport {
        let start = ContinuousClock.now
        let setFlags: LMDBDatabase.Flags = [.duplicateSort, .duplicateFixed]
        let entries = try open(StoreLayout.entries, [])
        let meta = try open(StoreLayout.meta, [])
        let dn2id = try open(StoreLayout.dn2id, [])
        let children = try open(StoreLayout.children, setFlags)
        let parents = try open(StoreLayout.parents, [])
        let counters = try open(StoreLayout.counters, [])

        let recordedText = try recordedConfiguration(meta: meta)
        let plan = try Self.plan(recordedText, context: context)
        var recorder = VerificationRecorder(limit: maximumFindings)
        if let requestedIndexes {
            recorder.report.isReindexPending =
                (try IndexPlan(requestedIndexes, context: context)).canonicalText != plan.canonicalText
        }

        var indexDatabases: [String: LMDBDatabase] = [:]
        for name in plan.databaseNames(context: context) {
            do {
                indexDatabases[name] = try environment.openDatabase(
                    name, flags: name.hasPrefix("pres:") ? [] : setFlags)
            } catch let error as LMDBError where error.kind == .notFound {
                recorder.record(
                    .missingIndexDatabase, database: name, key: "-",
                    detail: "the recorded index configuration needs this database; the file has none")
            } catch {
                throw StoreError.wrap(error)
            }
        }

        let keyMaker = DNKeyMaker(context: context, maxKeySize: environment.maxKeySize)
        var contextKeys: Set<[UInt8]> = []
        for dn in namingContexts where !dn.isRoot { contextKeys.insert(try keyMaker.key(for: dn)) }

        var pass = VerificationPass(
            entries: entries, meta: meta, dn2id: dn2id, children: children, parents: parents, counters: counters,
            indexDatabases: indexDatabases,
            indexer: EntryIndexer(context: context, plan: plan, maxKeySize: environment.maxKeySize),
            keyMaker: keyMaker, namingContextKeys: contextKeys, recorder: recorder)
        do {
            try environment.read { transaction in
                // The plan was read in an earlier transaction: a reindex in between would change what to expect.
                let current = try transaction.get(meta, key: StoreLayout.indexesKey) ?? []
                guard String(decoding: current, as: UTF8.self) == recordedText else {
                    throw StoreError(
                        .other, "the index configuration changed (a reindex ran) as verify started; run it again")
                }
                try pass.run(in: transaction)
            }
        } catch {
            throw StoreError.wrap(error)
        }
        var report = pass.recorder.report
        report.indexDatabases = indexDatabases.count
        let elapsed = ContinuousClock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }

    /// Opens a database without creating it; a missing fixed database means this is no store.
    private func open(_ name: String, _ flags: LMDBDatabase.Flags) throws(StoreError) -> LMDBDatabase {
        do {
            return try environment.openDatabase(name, flags: flags)
        } catch let error as LMDBError where error.kind == .notFound {
            throw StoreError(.other, "\(environment.path) is not an Annuaire store: it has no '\(name)' database")
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The layout version and the index configuration recorded in `meta`.
    private func recordedConfiguration(meta: LMDBDatabase) throws(StoreError) -> String {
        let (format, text): ([UInt8]?, [UInt8]?)
        do {
            (format, text) = try environment.read { transaction in
                (
                    try transaction.get(meta, key: StoreLayout.formatKey),
                    try transaction.get(meta, key: StoreLayout.indexesKey)
                )
            }
        } catch {
            throw StoreError.wrap(error)
        }
        guard let format else {
            throw StoreError(.other, "\(environment.path) is not an Annuaire store: 'meta' has no format record")
        }
        guard format == [StoreLayout.version] else {
            throw StoreError(
                .other,
                "the store's layout version is \(format.first.map(String.init) ?? "?"); this release reads version "
                    + "\(StoreLayout.version)")
        }
        return String(decoding: text ?? [], as: UTF8.self)
    }

    /// The plan of the recorded configuration, as ``DirectoryStore`` builds it (types the schema lacks dropped).
    static func plan(_ text: String, context: SchemaContext) throws(StoreError) -> IndexPlan {
        var configuration = IndexPlan.configuration(parsing: text)
        configuration.indexes = configuration.indexes.filter { context.attributeType(named: $0.key) != nil }
        configuration.countedAttributes.removeAll { context.attributeType(named: $0) == nil }
        return try IndexPlan(configuration, context: context)
    }
}

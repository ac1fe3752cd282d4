import CLMDB
import Dispatch
import LDAPProtocol
import Schema

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads an LDIF file into the database of a data directory, offline, all or nothing (docs/operations.md,
/// "import").
///
/// The load never writes into the live database file. It:
/// 1. opens the data directory for writing — which takes its lock, so a running server (or another import) makes
///    it fail with ``BulkLoadError/Kind/busy`` — and the store in it (creating an empty one when new);
/// 2. copies the database (`mdb_env_copy2`, compacting) to `DATA/import-staging/annuaire.mdb`;
/// 3. reads the file record by record and adds the entries to the copy in write transactions of
///    ``BulkLoadOptions/batchSize`` entries, without `fsync` (the copy is thrown away on any failure): each entry
///    completed with missing operational attributes (``OperationalAttributeFiller``), validated against the schema
///    (server-write rules), added below its parent (which must already exist: LDIF order) with its indexes and
///    counters. A writer thread writes one batch while the next is being parsed and validated;
/// 4. at the end of the file, writes a compacted copy of the loaded database (`mdb_env_copy2` with
///    `MDB_CP_COMPACT`: without the free pages that large write transactions leave behind, about a third of the
///    file), flushes it to disk and renames it over `DATA/annuaire.mdb` (one `rename(2)`, atomic), then flushes
///    the directory.
///
/// A bad record, a full disk or a crash at any point before the rename leaves `DATA/annuaire.mdb` exactly as it
/// was (the staging directory is removed on failure, and left-overs of a crash are removed by the next import).
/// The cost: room for a second copy of the database during the load, and a copy of what it already holds.
package struct BulkLoader {
    /// The data directory.
    package let dataDirectory: String
    package let context: SchemaContext
    package let namingContexts: [DistinguishedName]
    package let indexes: IndexConfiguration
    package let options: BulkLoadOptions

    /// The staging directory's name inside the data directory.
    package static let stagingName = "import-staging"
    /// The compacted copy's name inside the staging directory: what replaces the live database.
    static let compactedName = "annuaire-compacted.mdb"

    /// A loader for `dataDirectory`, with the schema, naming contexts and indexes the server uses.
    package init(
        dataDirectory: String,
        context: SchemaContext,
        namingContexts: [DistinguishedName],
        indexes: IndexConfiguration,
        options: BulkLoadOptions
    ) {
        self.dataDirectory = dataDirectory
        self.context = context
        self.namingContexts = namingContexts
        self.indexes = indexes
        self.options = options
    }

    /// Loads `path`; calls `progress` now and then (every 1,000 entries) from this thread. Returns what it loaded,
    /// or throws ``BulkLoadError`` with the database unchanged.
    package func load(path: String, progress: (BulkProgress) -> Void = { _ in }) throws(BulkLoadError)
        -> BulkLoadSummary
    {
        let clock = ContinuousClock()
        let started = clock.now
        var splitter = try LDIFRecordSplitter(path: path)

        // 1. The live database, for its lock and its content.
        var liveConfiguration = options.environment
        liveConfiguration.access = .readWrite
        liveConfiguration.durability = .full
        let live: LMDBEnvironment
        do {
            live = try LMDBEnvironment(directory: dataDirectory, configuration: liveConfiguration)
            _ = try DirectoryStore(
                environment: live, context: context, namingContexts: namingContexts, indexes: indexes)
        } catch let error as DataDirectoryError {
            if case .inUse = error {
                throw BulkLoadError(.busy, file: dataDirectory, line: nil, "\(error); stop the server first")
            }
            throw BulkLoadError(.inputOutput, file: dataDirectory, line: nil, "\(error)")
        } catch {
            throw BulkLoadError(.inputOutput, file: dataDirectory, line: nil, "cannot open the database: \(error)")
        }

        // 2. The staging copy.
        let staging = live.directory + "/" + Self.stagingName
        let stagingFile = staging + "/" + LMDBEnvironment.dataFileName
        removeStaging(staging)
        do {
            guard mkdir(staging, 0o700) == 0 else {
                throw BulkLoadError(.inputOutput, file: staging, line: nil, "mkdir: \(systemMessage(errno))")
            }
            try live.copy(to: stagingFile, compact: true)
            // mdb_env_copy2 creates the file with 0666 & umask; the database keeps the configured mode.
            chmod(stagingFile, mode_t(options.environment.fileMode))
        } catch {
            removeStaging(staging)
            throw BulkLoadError(.inputOutput, file: staging, line: nil, "cannot copy the database: \(error)")
        }

        // 3. The load, into the copy, which ends with its compacted copy.
        let entries: Int
        let compactedFile = staging + "/" + Self.compactedName
        do {
            entries = try loadRecords(
                from: &splitter, into: staging, compactingTo: compactedFile, started: started, progress: progress)
        } catch {
            removeStaging(staging)
            throw error
        }

        // 4. The switch.
        do throws(BulkLoadError) {
            try checkNoOtherProcess(live)
            guard rename(compactedFile, live.path) == 0 else {
                throw BulkLoadError(
                    .inputOutput, file: live.path, line: nil,
                    "cannot move the loaded database into place: \(systemMessage(errno))")
            }
        } catch {
            removeStaging(staging)
            throw error
        }
        syncDirectory(live.directory)
        removeStaging(staging)
        progress(
            BulkProgress(
                entries: entries, bytesRead: splitter.fileSize, totalBytes: splitter.fileSize,
                elapsed: clock.now - started))
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return BulkLoadSummary(entries: entries, seconds: seconds)
    }

    /// Reads every record of `splitter` into a store in the staging directory, then writes its compacted copy to
    /// `compactedFile`, flushed to disk; returns the number of entries. The staging environment is closed when
    /// this returns.
    private func loadRecords(
        from splitter: inout LDIFRecordSplitter,
        into staging: String,
        compactingTo compactedFile: String,
        started: ContinuousClock.Instant,
        progress: (BulkProgress) -> Void
    ) throws(BulkLoadError) -> Int {
        var stagingConfiguration = options.environment
        stagingConfiguration.access = .readWrite
        stagingConfiguration.durability = .noSync
        // Written in place (no dirty page list to search on each page access, no copy at commit): the staging
        // file is thrown away on failure and only its compacted copy is kept, so its sparse map-sized file is
        // never seen.
        stagingConfiguration.writeMap = true
        let environment: LMDBEnvironment
        let store: DirectoryStore
        do {
            environment = try LMDBEnvironment(directory: staging, configuration: stagingConfiguration)
            store = try DirectoryStore(
                environment: environment, context: context, namingContexts: namingContexts, indexes: indexes)
        } catch {
            throw BulkLoadError(.inputOutput, file: staging, line: nil, "cannot open the staging database: \(error)")
        }
        let filler = OperationalAttributeFiller(
            context: context, rootDN: options.rootDN, now: options.now, makeUUID: options.makeUUID)
        let slots = store.bulkIndexSlots()
        let clock = ContinuousClock()
        let path = splitter.path
        var batch: [BulkEntry] = []
        var lines: [Int] = []
        batch.reserveCapacity(options.batchSize)
        var count = 0
        var isFirstGroup = true
        // The batch being written by `writer`, and the LDIF lines of its entries (for its error).
        let writer = BatchWriter()
        // Whatever ends the load, no write is still running on the staging database when this returns.
        defer { _ = writer.wait() }
        var writtenLines: [Int] = []

        /// Waits for the batch in flight; its failure becomes the load's error.
        func finishWriting() throws(BulkLoadError) {
            guard let error = writer.wait() else { return }
            if let failure = error as? BulkBatchFailure {
                throw BulkLoadError(.data, file: path, line: writtenLines[failure.index], failure.error.description)
            }
            throw BulkLoadError(.inputOutput, file: staging, line: nil, "cannot write: \(StoreError.wrap(error))")
        }
        /// Hands the batch to the writer, once the previous one is written.
        func flush() throws(BulkLoadError) {
            try finishWriting()
            guard !batch.isEmpty else { return }
            writer.write(batch, to: store, slots: slots)
            writtenLines = lines
            batch.removeAll(keepingCapacity: false)
            batch.reserveCapacity(options.batchSize)
            lines.removeAll(keepingCapacity: true)
        }

        // Records are read here in groups; each group is parsed, completed and validated on every core (its
        // halves in parallel), then joins the batch, written when full.
        var group: [LDIFRecordText] = []
        group.reserveCapacity(Self.groupSize)
        var exhausted = false
        while !exhausted {
            group.removeAll(keepingCapacity: true)
            while group.count < Self.groupSize {
                guard let text = try splitter.next() else {
                    exhausted = true
                    break
                }
                group.append(text)
            }
            let prepared = prepare(group, store: store, slots: slots, filler: filler, path: path, isFirstGroup: isFirstGroup)
            isFirstGroup = false
            for (text, result) in zip(group, prepared) {
                switch result {
                case .none:
                    continue
                case .failure(let error):
                    // An earlier record's tree error (missing parent…) comes first.
                    try flush()
                    try finishWriting()
                    throw error
                case .success(let entry):
                    batch.append(entry)
                    lines.append(text.contentLine)
                    count += 1
                    if batch.count >= options.batchSize { try flush() }
                }
            }
            if let last = group.last {
                progress(
                    BulkProgress(
                        entries: count, bytesRead: last.endOffset, totalBytes: splitter.fileSize,
                        elapsed: clock.now - started))
            }
        }
        try flush()
        try finishWriting()
        do {
            try environment.copy(to: compactedFile, compact: true)
        } catch {
            throw BulkLoadError(
                .inputOutput, file: compactedFile, line: nil, "cannot write the compacted database: \(error)")
        }
        // mdb_env_copy2 creates the file with 0666 & umask and does not fsync it.
        chmod(compactedFile, mode_t(options.environment.fileMode))
        let descriptor = open(compactedFile, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let message = systemMessage(errno)
            if descriptor >= 0 { close(descriptor) }
            throw BulkLoadError(
                .inputOutput, file: compactedFile, line: nil, "cannot flush the loaded database: \(message)")
        }
        close(descriptor)
        return count
    }

    /// How many records are read, then prepared in parallel, at a time.
    static let groupSize = 1000

    /// Parses, completes and validates `group` (its halves on two threads); per record, the entry ready to write,
    /// its error, or `nil` for a record without an entry (a version line, comments).
    private func prepare(
        _ group: [LDIFRecordText], store: DirectoryStore, slots: IndexSlots, filler: OperationalAttributeFiller,
        path: String, isFirstGroup: Bool
    ) -> [Result<BulkEntry, BulkLoadError>?] {
        var results = [Result<BulkEntry, BulkLoadError>?](repeating: nil, count: group.count)
        let parts = group.count >= 64 ? 2 : 1
        results.withUnsafeMutableBufferPointer { output in
            let output = SendableBuffer(base: output)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let range = (group.count * part / parts)..<(group.count * (part + 1) / parts)
                for index in range {
                    output.base[index] = prepare(
                        group[index], store: store, slots: slots, filler: filler, path: path,
                        allowingVersion: isFirstGroup && index == 0)
                }
            }
        }
        return results
    }

    /// One record of ``prepare(_:store:slots:filler:path:isFirstGroup:)``.
    private func prepare(
        _ text: LDIFRecordText, store: DirectoryStore, slots: IndexSlots, filler: OperationalAttributeFiller,
        path: String,
        allowingVersion: Bool
    ) -> Result<BulkEntry, BulkLoadError>? {
        do throws(BulkLoadError) {
            guard let entry = try parse(text, path: path, allowingVersion: allowingVersion) else { return nil }
            do throws(StoreError) {
                return .success(try store.prepareBulkEntry(filler.filled(entry, sequence: text.contentLine), slots: slots))
            } catch {
                throw BulkLoadError(.data, file: path, line: text.contentLine, error.description)
            }
        } catch {
            return .failure(error)
        }
    }

    /// The entry of one record; `nil` for a record that is only a version line or comments.
    private func parse(_ text: LDIFRecordText, path: String, allowingVersion: Bool) throws(BulkLoadError) -> Entry? {
        if !allowingVersion, text.bytes[text.contentOffset...].starts(with: Array("version:".utf8)) {
            throw BulkLoadError(
                .data, file: path, line: text.contentLine, "a 'version:' line is only allowed as the file's first line")
        }
        var reader = LDIFReader(bytes: text.bytes)
        let record: LDIFRecord?
        do {
            record = try reader.next()
        } catch {
            throw BulkLoadError(.data, file: path, line: text.firstLine + max(error.line, 1) - 1, error.message)
        }
        let ldif: LDIFEntry
        switch record {
        case nil:
            return nil
        case .content(let entry)?:
            ldif = entry
        case .change(let change)?:
            guard case .add(let attributes) = change.change else {
                throw BulkLoadError(
                    .data, file: path, line: text.contentLine,
                    "a change record other than 'changetype: add'; import loads entries (use ldapmodify for changes)")
            }
            ldif = LDIFEntry(dn: change.dn, attributes: attributes)
        }
        let dn: DistinguishedName
        do {
            dn = try DistinguishedName(ldif.dn)
        } catch {
            throw BulkLoadError(.data, file: path, line: text.contentLine, "invalid DN '\(ldif.dn)': \(error)")
        }
        return Entry(
            dn: dn,
            attributes: ldif.attributes.map {
                EntryAttribute(description: AttributeDescription($0.description), values: $0.values)
            })
    }

    /// Fails when another process has the live database open (a reader such as `annuaire export`): it would keep
    /// reading the replaced file. Known from LMDB's reader table.
    private func checkNoOtherProcess(_ environment: LMDBEnvironment) throws(BulkLoadError) {
        final class Collector { var text = "" }
        let collector = Collector()
        _ = withExtendedLifetime(collector) {
            mdb_reader_list(
                environment.environment,
                { message, context in
                    guard let message, let context else { return 0 }
                    Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue().text += String(cString: message)
                    return 0
                }, Unmanaged.passUnretained(collector).toOpaque())
        }
        let me = getpid()
        let others = collector.text.split(separator: "\n").compactMap { line -> Int32? in
            guard let first = line.split(separator: " ").first, let pid = Int32(first), pid != me else { return nil }
            return pid
        }
        if let other = others.first {
            throw BulkLoadError(
                .busy, file: dataDirectory, line: nil,
                "process \(other) has the database open (annuaire export, backup or verify?); nothing was changed")
        }
    }

    /// Removes the staging directory and what it holds (the data file, LMDB's lock file, the directory lock).
    private func removeStaging(_ staging: String) {
        for name in [
            LMDBEnvironment.dataFileName, LMDBEnvironment.dataFileName + "-lock", DataDirectoryLock.fileName,
            Self.compactedName,
        ] {
            unlink(staging + "/" + name)
        }
        rmdir(staging)
    }

    /// `fsync` of the directory, so that the rename is on disk.
    private func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

/// The results buffer of a parallel preparation: each thread writes its own indices only.
private struct SendableBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Element>
}

/// The import's writer thread: writes one batch (``DirectoryStore/addBatch(_:slots:)``) while the loader prepares
/// the next, so that the write transaction no longer leaves a core idle. One batch at a time, in order.
private final class BatchWriter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "annuaire.import.writer")
    private let group = DispatchGroup()
    /// The error of the batch in flight. Written on `queue`, read after `group.wait()`: the group orders the two.
    private var failure: (any Error)?

    /// Starts writing `batch`. The previous batch must be finished (``wait()``).
    func write(_ batch: [BulkEntry], to store: DirectoryStore, slots: IndexSlots) {
        queue.async(group: group) {
            do {
                _ = try store.addBatch(batch, slots: slots)
            } catch {
                self.failure = error
            }
        }
    }

    /// Waits for the batch in flight (if any); its error, once.
    func wait() -> (any Error)? {
        group.wait()
        defer { failure = nil }
        return failure
    }
}

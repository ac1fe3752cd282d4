import CLMDB

#if canImport(Glibc)
    import Dispatch
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The LMDB environment of one data directory: the file `DATA/annuaire.mdb` (with LMDB's `DATA/annuaire.mdb-lock`),
/// its named databases, one writer at a time and any number of readers that never wait for it.
///
/// Opening for writing claims the directory through `DATA/annuaire.lock` (see `DataDirectoryError.inUse`). The
/// environment is closed, its read transactions released and the claim dropped when the last reference goes away.
///
/// `read` and `write` are synchronous and may block on I/O (and `write` on the previous writer, `fsync` included):
/// call them off NIO event loops, and never keep a transaction across an `await` (the closures are synchronous,
/// so the compiler enforces it). Transactions must not be nested: no `read` or `write` inside `write`'s closure
/// (use the write transaction, which reads too), and no `read` inside `read`'s.
///
/// `Sendable`: the `MDB_env` is safe to share with `MDB_NOTLS` as long as writes are serialised (the writer mutex)
/// and the map is not replaced under an open transaction (the access gate); the mutable state (the reader pool and
/// a fatal failure) is behind a mutex.
package final class LMDBEnvironment: @unchecked Sendable {
    /// The name of the LMDB file inside the data directory; LMDB keeps its reader table in `annuaire.mdb-lock`.
    package static let dataFileName = "annuaire.mdb"

    /// The data directory, canonical (absolute, without symbolic links).
    package let directory: String
    /// `DATA/annuaire.mdb`.
    package let path: String
    /// How the environment was opened.
    package let configuration: LMDBConfiguration
    /// LMDB's page size, in bytes.
    package let pageSize: Int
    /// The longest key (and `duplicateSort` value) LMDB accepts, in bytes (`mdb_env_get_maxkeysize`).
    package let maxKeySize: Int

    let environment: OpaquePointer
    let claim: DataDirectoryLock
    /// One write transaction at a time in this process (LMDB's own lock serialises processes).
    let writer = LMDBMutex()
    /// Keeps the map from being replaced under open transactions.
    let gate = LMDBAccessGate()
    /// Guards `readerPool` and `fatalError`.
    let stateLock = LMDBMutex()
    /// Read-only transactions, reset, waiting to be renewed (each holds a reader slot).
    var readerPool: [OpaquePointer] = []
    /// Set when growing the map failed half-way and left the environment unusable.
    var fatalFailure: LMDBError?

    /// Opens (and for `readWrite` creates) the environment in `directory`.
    ///
    /// Throws `DataDirectoryError` when the directory is claimed by another process or already open in this one,
    /// and `LMDBError` for everything LMDB refuses.
    package init(directory: String, configuration: LMDBConfiguration = LMDBConfiguration()) throws {
        try Self.validate(configuration)
        let readOnly = configuration.access == .readOnly
        if !readOnly { try makeDirectories(directory, mode: 0o700) }
        let canonical = try canonicalPath(directory)
        let claim = try DataDirectoryLock.acquire(
            directory: canonical, exclusive: !readOnly, fileMode: configuration.fileMode)
        let path = canonical + "/" + Self.dataFileName

        var environmentPointer: OpaquePointer?
        try lmdbCheck(mdb_env_create(&environmentPointer), "mdb_env_create")
        guard let environment = environmentPointer else {
            throw LMDBError(code: ENOMEM, operation: "mdb_env_create")
        }
        do {
            try lmdbCheck(
                mdb_env_set_maxdbs(environment, MDB_dbi(configuration.maxDatabases)),
                "mdb_env_set_maxdbs(\(configuration.maxDatabases))")
            try lmdbCheck(
                mdb_env_set_maxreaders(environment, configuration.maxReaders),
                "mdb_env_set_maxreaders(\(configuration.maxReaders))")
            try lmdbCheck(
                mdb_env_set_mapsize(environment, configuration.mapSize),
                "mdb_env_set_mapsize(\(configuration.mapSize))")
            var flags = UInt32(MDB_NOSUBDIR | MDB_NOTLS)
            if readOnly { flags |= UInt32(MDB_RDONLY) }
            if configuration.writeMap && !readOnly { flags |= UInt32(MDB_WRITEMAP) }
            switch configuration.durability {
            case .full: break
            case .noMetaSync: flags |= UInt32(MDB_NOMETASYNC)
            case .noSync: flags |= UInt32(MDB_NOSYNC)
            }
            try lmdbCheck(
                mdb_env_open(environment, path, flags, mode_t(configuration.fileMode)), "mdb_env_open(\(path))")

            // Clear reader slots left by processes that died inside a read transaction.
            var staleReaders: Int32 = 0
            try lmdbCheck(mdb_reader_check(environment, &staleReaders), "mdb_reader_check(\(path))")

            // Never shrink below what an earlier run grew the map to: adopt the size stored in the file, then
            // raise it to the configured one if that is larger.
            try lmdbCheck(mdb_env_set_mapsize(environment, 0), "mdb_env_set_mapsize(0)")
            if !readOnly, Self.mapSize(of: environment) < configuration.mapSize {
                try lmdbCheck(
                    mdb_env_set_mapsize(environment, configuration.mapSize),
                    "mdb_env_set_mapsize(\(configuration.mapSize))")
            }
        } catch {
            mdb_env_close(environment)
            throw error
        }

        var stat = MDB_stat()
        mdb_env_stat(environment, &stat)
        self.pageSize = Int(stat.ms_psize)
        self.maxKeySize = Int(mdb_env_get_maxkeysize(environment))
        self.environment = environment
        self.claim = claim
        self.directory = canonical
        self.path = path
        self.configuration = configuration
    }

    deinit {
        for transaction in readerPool { mdb_txn_abort(transaction) }
        mdb_env_close(environment)
        claim.release()
    }

    /// Opens `name` (creating it with `.create`, unless the environment is read-only) and returns its handle.
    ///
    /// Open every database once at start-up: the handle stays valid for the life of the environment. Opening the
    /// same name again returns the same handle. The key/value flags (all but `create`) must be those the database
    /// was created with; otherwise this fails with `MDB_INCOMPATIBLE` (LMDB itself would silently keep the stored
    /// ones). Not inside `write`'s closure.
    package func openDatabase(_ name: String, flags: LMDBDatabase.Flags = [.create]) throws -> LMDBDatabase {
        try checkHealthy()
        let readOnly = configuration.access == .readOnly
        let operation = "mdb_dbi_open(\(name))"
        // mdb_dbi_open must not run in two transactions of the process at once: the writer mutex serialises it.
        let lockCode = writer.lock()
        guard lockCode == 0 else { throw Self.writerLockError(lockCode, operation: operation) }
        defer { writer.unlock() }
        gate.enterShared()
        defer { gate.exitShared() }

        var transactionPointer: OpaquePointer?
        try lmdbCheck(
            mdb_txn_begin(environment, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &transactionPointer),
            "mdb_txn_begin(\(path))")
        guard let transaction = transactionPointer else { throw LMDBError(code: MDB_BAD_TXN, operation: operation) }
        var handle: MDB_dbi = 0
        let openFlags = readOnly ? flags.subtracting(.create) : flags
        let code = name.withCString { mdb_dbi_open(transaction, $0, openFlags.rawValue, &handle) }
        guard code == 0 else {
            mdb_txn_abort(transaction)
            throw LMDBError(code: code, operation: operation)
        }
        // LMDB keeps the flags a database was created with and ignores different ones given later: a database
        // opened as something it is not (an index without duplicateSort, say) is refused here instead.
        var storedFlags: UInt32 = 0
        let flagsCode = mdb_dbi_flags(transaction, handle, &storedFlags)
        let stored = LMDBDatabase.Flags(rawValue: storedFlags).intersection(LMDBDatabase.Flags.persistent)
        let requested = flags.intersection(LMDBDatabase.Flags.persistent)
        guard flagsCode == 0, stored == requested else {
            mdb_txn_abort(transaction)
            if flagsCode != 0 { throw LMDBError(code: flagsCode, operation: "mdb_dbi_flags(\(name))") }
            throw LMDBError(
                code: MDB_INCOMPATIBLE,
                operation: operation,
                detail: "database \(name) has flags \(stored), not the requested \(requested)")
        }
        // Committing (also a read-only transaction) makes the handle the environment's.
        try lmdbCheck(mdb_txn_commit(transaction), "mdb_txn_commit(\(operation))")
        return LMDBDatabase(name: name, flags: stored, handle: handle)
    }

    /// Map, file and reader figures for monitoring (`mdb_env_info`, `mdb_env_stat`).
    package func info() throws -> LMDBInfo {
        try checkHealthy()
        gate.enterShared()
        defer { gate.exitShared() }
        var info = MDB_envinfo()
        try lmdbCheck(mdb_env_info(environment, &info), "mdb_env_info(\(path))")
        let fileSize = max(0, Int(annuaire_file_size(path)))
        return LMDBInfo(
            mapSize: info.me_mapsize,
            maxMapSize: max(configuration.maxMapSize, info.me_mapsize),
            pageSize: pageSize,
            lastPageNumber: info.me_last_pgno,
            lastTransactionID: info.me_last_txnid,
            readerSlotsUsed: Int(info.me_numreaders),
            maxReaders: Int(info.me_maxreaders),
            fileSize: fileSize
        )
    }

    /// Writes a consistent copy of the environment to the new file `destination` (`mdb_env_copy2`), while readers
    /// and the writer go on. `compact` (`MDB_CP_COMPACT`) leaves out free pages and renumbers the rest.
    ///
    /// The file must not exist. The copy holds a read transaction for its whole length, so a map growth forced
    /// meanwhile waits for it (at most `growthTimeout`, then that write fails); a backup taken by another process
    /// (`access: .readOnly`) does not.
    package func copy(to destination: String, compact: Bool = true) throws {
        try checkHealthy()
        gate.enterShared()
        defer { gate.exitShared() }
        let flags = compact ? UInt32(MDB_CP_COMPACT) : 0
        try lmdbCheck(mdb_env_copy2(environment, destination, flags), "mdb_env_copy2(\(destination))")
    }

    /// Flushes the data file to disk (`mdb_env_sync`, forced): what `noSync`/`noMetaSync` commits skipped.
    package func sync() throws {
        try checkHealthy()
        gate.enterShared()
        defer { gate.exitShared() }
        try lmdbCheck(mdb_env_sync(environment, 1), "mdb_env_sync(\(path))")
    }

    // MARK: - Internals shared with the read and write paths

    func checkHealthy() throws {
        if let failure = stateLock.withLock({ fatalFailure }) { throw failure }
    }

    static func mapSize(of environment: OpaquePointer) -> Int {
        var info = MDB_envinfo()
        mdb_env_info(environment, &info)
        return info.me_mapsize
    }

    static func writerLockError(_ code: Int32, operation: String) -> LMDBError {
        LMDBError(
            code: code,
            operation: operation,
            detail: code == EDEADLK ? "a write transaction is already open on this thread (writes do not nest)" : nil)
    }

    private static func validate(_ configuration: LMDBConfiguration) throws {
        func invalid(_ detail: String) -> LMDBError {
            LMDBError(code: EINVAL, operation: "LMDBConfiguration", detail: detail)
        }
        guard configuration.mapSize > 0 else { throw invalid("mapSize must be positive") }
        guard configuration.maxMapSize >= configuration.mapSize else {
            throw invalid("maxMapSize (\(configuration.maxMapSize)) is below mapSize (\(configuration.mapSize))")
        }
        guard configuration.growthFactor >= 1.1, configuration.growthFactor.isFinite else {
            throw invalid("growthFactor must be at least 1.1")
        }
        if let threshold = configuration.growthThreshold, !(threshold > 0 && threshold <= 1) {
            throw invalid("growthThreshold must be in (0, 1]")
        }
        guard configuration.maxReaders > 0 else { throw invalid("maxReaders must be positive") }
    }
}

/// How an `LMDBEnvironment` is opened: sizes, limits, durability and access mode.
package struct LMDBConfiguration: Sendable, Hashable {
    /// Read-write (one writer process per data directory, enforced by `DATA/annuaire.lock`) or read-only.
    package enum Access: Sendable, Hashable {
        /// Opens for reading and writing; takes the data directory lock, creates the directory and file if missing.
        case readWrite
        /// Opens with `MDB_RDONLY`; takes no data directory lock (for `annuaire backup`/`verify` beside a running
        /// server). The directory and file must exist.
        case readOnly
    }

    /// What a commit waits for before returning.
    package enum Durability: Sendable, Hashable {
        /// Data and meta page flushed at every commit (LMDB's default). A committed write survives a power loss.
        case full
        /// `MDB_NOMETASYNC`: the meta page is not flushed; a system crash may undo the last commit, but never
        /// corrupts the database.
        case noMetaSync
        /// `MDB_NOSYNC`: nothing flushed at commit; a system crash may lose recent commits (and, on file systems
        /// that reorder writes, damage the file). For bulk loads that can be redone.
        case noSync
    }

    /// Read-write or read-only.
    package var access: Access
    /// The map size the environment starts with, in bytes (rounded up to the page size). A database that grew past
    /// it in an earlier run keeps its larger size.
    package var mapSize: Int
    /// The largest the map may grow to, in bytes. A write that would need more fails with `MDB_MAP_FULL`.
    package var maxMapSize: Int
    /// How much the map grows each time it must (new size = old size × factor, at least 1.1).
    package var growthFactor: Double
    /// Grow before a write when the used pages exceed this fraction of the map, if no transaction is open at that
    /// moment (so growing costs nobody a wait). `nil` grows only when a write meets `MDB_MAP_FULL`.
    package var growthThreshold: Double?
    /// How long a growth forced by `MDB_MAP_FULL` waits for open transactions in this process to finish. New
    /// transactions wait meanwhile; when the time runs out, the write fails with `MDB_MAP_FULL` and everyone goes on.
    package var growthTimeout: Duration
    /// Maximum number of named databases (`mdb_env_set_maxdbs`).
    package var maxDatabases: UInt32
    /// Reader lock table slots (`mdb_env_set_maxreaders`), shared by every process using the environment. Each
    /// concurrent read transaction in this process holds one while pooled.
    package var maxReaders: UInt32
    /// What a commit waits for.
    package var durability: Durability
    /// Permissions of new files (`annuaire.mdb`, `annuaire.mdb-lock`, `annuaire.lock`).
    package var fileMode: UInt32
    /// `MDB_WRITEMAP` (read-write only): write transactions change the mapped file in place instead of copies of
    /// its pages, which spares a search of the dirty page list on every page access and the copy-out at commit.
    /// The file is extended (sparse) to the map size at open, and nested transactions are refused
    /// (`MDB_BAD_TXN`). For the import's staging database, thrown away on failure and compacted at the end.
    package var writeMap: Bool

    /// The defaults: read-write, 1 GiB map growing ×2 up to 256 GiB (address space only: the file grows with its
    /// data), 64 named databases, 126 readers, full durability, files readable by the owner only.
    package init(
        access: Access = .readWrite,
        mapSize: Int = 1 << 30,
        maxMapSize: Int = 256 << 30,
        growthFactor: Double = 2,
        growthThreshold: Double? = 0.8,
        growthTimeout: Duration = .seconds(10),
        maxDatabases: UInt32 = 64,
        maxReaders: UInt32 = 126,
        durability: Durability = .full,
        fileMode: UInt32 = 0o600,
        writeMap: Bool = false
    ) {
        self.access = access
        self.mapSize = mapSize
        self.maxMapSize = maxMapSize
        self.growthFactor = growthFactor
        self.growthThreshold = growthThreshold
        self.growthTimeout = growthTimeout
        self.maxDatabases = maxDatabases
        self.maxReaders = maxReaders
        self.durability = durability
        self.fileMode = fileMode
        self.writeMap = writeMap
    }
}

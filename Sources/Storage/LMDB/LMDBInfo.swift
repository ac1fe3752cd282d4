/// Figures about an environment, for monitoring (`LMDBEnvironment.info()`).
package struct LMDBInfo: Sendable, Hashable {
    /// The current map size in bytes: the most the data file can hold before the map grows.
    package var mapSize: Int
    /// The largest the map may grow to.
    package var maxMapSize: Int
    /// LMDB's page size in bytes.
    package var pageSize: Int
    /// The number of the last page in use (`me_last_pgno`).
    package var lastPageNumber: Int
    /// The id of the last committed transaction.
    package var lastTransactionID: Int
    /// The highest number of reader slots in use at once since the lock file was created (`me_numreaders`), by all
    /// processes.
    package var readerSlotsUsed: Int
    /// Reader slots in the lock table.
    package var maxReaders: Int
    /// The size of `annuaire.mdb` on disk.
    package var fileSize: Int

    /// Bytes of the map in use: `(lastPageNumber + 1) × pageSize`.
    package var usedBytes: Int { (lastPageNumber + 1) * pageSize }
    /// `usedBytes / mapSize`, between 0 and 1.
    package var fillRatio: Double { mapSize > 0 ? Double(usedBytes) / Double(mapSize) : 0 }
}

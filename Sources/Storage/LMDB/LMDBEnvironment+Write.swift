import CLMDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LMDBEnvironment {
    /// Runs `body` in the write transaction and commits it when `body` returns; aborts it when `body` throws (or
    /// calls `abort()`), so a failure leaves nothing written. Returns `body`'s result.
    ///
    /// One write transaction at a time: a second caller waits for the first to commit (in this process, on a
    /// mutex; across processes, on LMDB's lock, though only one process may open a data directory for writing).
    /// Readers are not held up. Blocking (writing, `fsync`): call it from a dedicated writer thread or a thread
    /// pool, never from a NIO event loop.
    ///
    /// When a write meets `MDB_MAP_FULL`, the transaction is aborted, the map grows by `growthFactor` (up to
    /// `maxMapSize`) and `body` runs again from the start, as often as the map can still grow. Whatever `body`
    /// does outside the transaction must allow that. At the limit, the `MDB_MAP_FULL` error is thrown.
    package func write<T>(_ body: (inout LMDBWriteTransaction) throws -> T) throws -> T {
        let operation = "write(\(path))"
        guard configuration.access == .readWrite else {
            throw LMDBError(code: EACCES, operation: operation, detail: "the environment was opened read-only")
        }
        try checkHealthy()
        let lockCode = writer.lock()
        guard lockCode == 0 else { throw Self.writerLockError(lockCode, operation: operation) }
        defer { writer.unlock() }

        growIfNearlyFull()
        var adoptedResize = false
        while true {
            switch try attemptWrite(body) {
            case .committed(let result):
                return result
            case .mapFull(let error):
                try growAfterMapFull(error)
            case .mapResized(let error):
                guard !adoptedResize else { throw error }
                adoptedResize = true
                try adoptGrownMap(after: error)
            }
        }
    }

    private enum WriteOutcome<T> {
        case committed(T)
        case mapFull(LMDBError)
        case mapResized(LMDBError)
    }

    /// One try: begin, run `body`, commit or abort. The caller holds the writer mutex.
    private func attemptWrite<T>(_ body: (inout LMDBWriteTransaction) throws -> T) throws -> WriteOutcome<T> {
        gate.enterShared()
        defer { gate.exitShared() }

        var transactionPointer: OpaquePointer?
        let beginCode = mdb_txn_begin(environment, nil, 0, &transactionPointer)
        if beginCode == MDB_MAP_RESIZED {
            return .mapResized(LMDBError(code: beginCode, operation: "mdb_txn_begin(\(path))"))
        }
        try lmdbCheck(beginCode, "mdb_txn_begin(\(path))")
        guard let pointer = transactionPointer else {
            throw LMDBError(code: MDB_BAD_TXN, operation: "mdb_txn_begin(\(path))")
        }

        let state = LMDBWriteState()
        var transaction = LMDBWriteTransaction(pointer: pointer, state: state)
        let result: T
        do {
            result = try body(&transaction)
        } catch {
            mdb_txn_abort(pointer)
            if let mapFull = state.mapFull { return .mapFull(mapFull) }
            throw error
        }
        if let mapFull = state.mapFull {
            // The closure swallowed the error; the transaction is unusable all the same.
            mdb_txn_abort(pointer)
            return .mapFull(mapFull)
        }
        if transaction.isAborted {
            mdb_txn_abort(pointer)
            return .committed(result)
        }
        // mdb_txn_commit frees the transaction whether it succeeds or not.
        let commitCode = mdb_txn_commit(pointer)
        if commitCode == MDB_MAP_FULL {
            return .mapFull(LMDBError(code: commitCode, operation: "mdb_txn_commit(\(path))"))
        }
        try lmdbCheck(commitCode, "mdb_txn_commit(\(path))")
        return .committed(result)
    }
}

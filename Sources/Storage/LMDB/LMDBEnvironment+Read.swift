import CLMDB

extension LMDBEnvironment {
    /// Runs `body` in a read-only transaction and returns its result.
    ///
    /// The transaction is a snapshot as of its start: it never waits for the writer, nor sees what the writer has
    /// not committed. It comes from a pool of reset transactions (`mdb_txn_renew`) and goes back to it
    /// (`mdb_txn_reset`), keeping its reader slot, so a read costs no allocation and no slot search. Keep `body`
    /// short: a long read keeps the pages of its snapshot from being reused, and holds back a map growth.
    package func read<T>(_ body: (borrowing LMDBReadTransaction) throws -> T) throws -> T {
        try checkHealthy()
        var adoptedResize = false
        while true {
            gate.enterShared()
            let transaction: OpaquePointer
            do {
                transaction = try takeReader()
            } catch let error as LMDBError where error.kind == .mapResized && !adoptedResize {
                // Another process grew the map past ours: adopt its size, then try once more.
                gate.exitShared()
                adoptedResize = true
                try adoptGrownMap(after: error)
                continue
            } catch {
                gate.exitShared()
                throw error
            }
            defer {
                giveBack(reader: transaction)
                gate.exitShared()
            }
            return try body(LMDBReadTransaction(pointer: transaction))
        }
    }

    /// A renewed pooled transaction, or a new one when the pool is empty.
    private func takeReader() throws -> OpaquePointer {
        if let pooled = stateLock.withLock({ readerPool.popLast() }) {
            let code = mdb_txn_renew(pooled)
            guard code == 0 else {
                mdb_txn_abort(pooled)
                throw LMDBError(code: code, operation: "mdb_txn_renew(\(path))")
            }
            return pooled
        }
        var transaction: OpaquePointer?
        try lmdbCheck(
            mdb_txn_begin(environment, nil, UInt32(MDB_RDONLY), &transaction), "mdb_txn_begin(\(path), read-only)")
        guard let transaction else {
            throw LMDBError(code: MDB_BAD_TXN, operation: "mdb_txn_begin(\(path), read-only)")
        }
        return transaction
    }

    /// Resets `reader` and pools it (it keeps its reader slot), or aborts it when the pool is full.
    private func giveBack(reader: OpaquePointer) {
        mdb_txn_reset(reader)
        let pooled = stateLock.withLock {
            guard readerPool.count < Int(configuration.maxReaders) else { return false }
            readerPool.append(reader)
            return true
        }
        if !pooled { mdb_txn_abort(reader) }
    }
}

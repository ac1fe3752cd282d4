import CLMDB

/// An open LMDB transaction, as the read operations of `LMDBReadable` need it. Opaque outside this module.
package struct LMDBTransactionHandle {
    /// The `MDB_txn *`.
    let pointer: OpaquePointer
    /// What the write operations record about the top-level write transaction; `nil` for read-only ones.
    let writeState: LMDBWriteState?
}

/// What happened in a top-level write transaction (and its nested ones), for `LMDBEnvironment.write` to decide
/// between commit, abort, and grow-and-retry.
final class LMDBWriteState {
    /// The first `MDB_MAP_FULL` met by any write; the transaction is then unusable and must be retried in a
    /// larger map, whatever the closure did with the error.
    var mapFull: LMDBError?

    /// Records `error` if it is `MDB_MAP_FULL`, and returns it for throwing.
    func note(_ error: LMDBError) -> LMDBError {
        if error.code == MDB_MAP_FULL, mapFull == nil { mapFull = error }
        return error
    }
}

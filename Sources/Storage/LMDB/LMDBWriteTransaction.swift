import CLMDB

/// The write transaction, lent to the closure of `LMDBEnvironment.write` (or `nested`), committed when the closure
/// returns and aborted when it throws. It reads its own uncommitted writes through `LMDBReadable`.
///
/// The closure may run more than once: when a write meets `MDB_MAP_FULL`, the environment aborts the transaction,
/// grows the map and runs the closure again from the start. Its effects outside the transaction must allow that.
package struct LMDBWriteTransaction: ~Copyable, LMDBReadable {
    /// The underlying transaction.
    package let transactionHandle: LMDBTransactionHandle
    /// Set by `abort()`: the transaction is then abandoned instead of committed.
    private(set) var isAborted = false

    init(pointer: OpaquePointer, state: LMDBWriteState) {
        transactionHandle = LMDBTransactionHandle(pointer: pointer, writeState: state)
    }

    /// How a value is stored (`mdb_put` flags).
    package struct PutFlags: OptionSet, Sendable, Hashable {
        /// The raw `MDB_*` bits.
        package var rawValue: UInt32
        /// Makes flags from raw `MDB_*` bits.
        package init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `MDB_NOOVERWRITE`: fail with `MDB_KEYEXIST` when the key exists (in any database kind).
        package static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
        /// `MDB_NODUPDATA`: in a `duplicateSort` database, fail with `MDB_KEYEXIST` when the pair exists.
        package static let noDuplicateData = PutFlags(rawValue: UInt32(MDB_NODUPDATA))
        /// `MDB_APPEND`: the key sorts after every key in the database (fast bulk load; `MDB_KEYEXIST` otherwise).
        package static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
        /// `MDB_APPENDDUP`: like `append`, for the values of a `duplicateSort` key.
        package static let appendDuplicate = PutFlags(rawValue: UInt32(MDB_APPENDDUP))
    }

    /// Stores `value` under `key`, replacing the value (or, in a `duplicateSort` database, adding one; adding a
    /// pair that exists does nothing).
    package mutating func put(
        _ database: LMDBDatabase,
        key: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer,
        flags: PutFlags = []
    ) throws {
        try checkUsable("mdb_put(\(database.name))")
        var keyValue = MDB_val(key)
        var dataValue = MDB_val(value)
        try check(mdb_put(pointer, database.handle, &keyValue, &dataValue, flags.rawValue), "mdb_put(\(database.name))")
    }

    /// Stores `value` under `key` (see the raw form).
    package mutating func put(_ database: LMDBDatabase, key: [UInt8], value: [UInt8], flags: PutFlags = []) throws {
        try key.withUnsafeBytes { key in
            try value.withUnsafeBytes { value in try put(database, key: key, value: value, flags: flags) }
        }
    }

    /// Deletes `key` with all its values; `false` when it was absent.
    @discardableResult
    package mutating func delete(_ database: LMDBDatabase, key: [UInt8]) throws -> Bool {
        try checkUsable("mdb_del(\(database.name))")
        let code = key.withUnsafeBytes { key in
            var keyValue = MDB_val(key)
            return mdb_del(pointer, database.handle, &keyValue, nil)
        }
        if code == MDB_NOTFOUND { return false }
        try check(code, "mdb_del(\(database.name))")
        return true
    }

    /// Deletes the one pair `key`/`value` of a `duplicateSort` database; `false` when it was absent.
    @discardableResult
    package mutating func delete(_ database: LMDBDatabase, key: [UInt8], value: [UInt8]) throws -> Bool {
        try checkUsable("mdb_del(\(database.name))")
        let code = key.withUnsafeBytes { key in
            value.withUnsafeBytes { value in
                var keyValue = MDB_val(key)
                var dataValue = MDB_val(value)
                return mdb_del(pointer, database.handle, &keyValue, &dataValue)
            }
        }
        if code == MDB_NOTFOUND { return false }
        try check(code, "mdb_del(\(database.name))")
        return true
    }

    /// Deletes every entry of `database`, keeping the database (`mdb_drop` with `del` 0).
    package mutating func removeAll(_ database: LMDBDatabase) throws {
        try checkUsable("mdb_drop(\(database.name))")
        try check(mdb_drop(pointer, database.handle, 0), "mdb_drop(\(database.name))")
    }

    /// Runs `body` in a nested transaction (`mdb_txn_begin` with this one as parent): its writes join this
    /// transaction when `body` returns, and are undone alone when it throws or calls `abort()`. Lets a batch of
    /// operations share one commit while each one fails on its own. This transaction cannot be used meanwhile.
    package mutating func nested<T>(_ body: (inout LMDBWriteTransaction) throws -> T) throws -> T {
        try checkUsable("mdb_txn_begin(nested)")
        guard let state = transactionHandle.writeState else {
            throw LMDBError(code: MDB_BAD_TXN, operation: "mdb_txn_begin(nested)")
        }
        var childPointer: OpaquePointer?
        try check(mdb_txn_begin(mdb_txn_env(pointer), pointer, 0, &childPointer), "mdb_txn_begin(nested)")
        guard let childPointer else { throw LMDBError(code: MDB_BAD_TXN, operation: "mdb_txn_begin(nested)") }
        var child = LMDBWriteTransaction(pointer: childPointer, state: state)
        let result: T
        do {
            result = try body(&child)
        } catch {
            mdb_txn_abort(childPointer)
            throw error
        }
        if child.isAborted || state.mapFull != nil {
            mdb_txn_abort(childPointer)
            if let mapFull = state.mapFull { throw mapFull }
            return result
        }
        try check(mdb_txn_commit(childPointer), "mdb_txn_commit(nested)")
        return result
    }

    /// Abandons this transaction: nothing it wrote is committed, the closure's result is still returned, and
    /// further writes fail with `MDB_BAD_TXN`. In a nested transaction, abandons only the nested writes.
    package mutating func abort() {
        isAborted = true
    }

    // MARK: -

    private var pointer: OpaquePointer { transactionHandle.pointer }

    private func checkUsable(_ operation: @autoclosure () -> String) throws {
        if isAborted {
            throw LMDBError(code: MDB_BAD_TXN, operation: operation(), detail: "the transaction was aborted")
        }
    }

    private func check(_ code: Int32, _ operation: @autoclosure () -> String) throws {
        guard code != 0 else { return }
        let error = LMDBError(code: code, operation: operation())
        throw transactionHandle.writeState?.note(error) ?? error
    }
}

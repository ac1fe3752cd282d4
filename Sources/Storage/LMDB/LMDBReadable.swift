import CLMDB

/// A transaction that can be read from: `LMDBReadTransaction`, and `LMDBWriteTransaction`, which sees its own
/// uncommitted writes.
///
/// Code that only reads takes `borrowing some LMDBReadable & ~Copyable`, and so serves both.
package protocol LMDBReadable: ~Copyable {
    /// The underlying transaction (opaque outside this module).
    var transactionHandle: LMDBTransactionHandle { get }
}

extension LMDBReadable where Self: ~Copyable {
    /// The transaction's id: the id of the snapshot it reads (read-only), or the one it will commit as (write).
    package var transactionID: Int { Int(mdb_txn_id(transactionHandle.pointer)) }

    /// The value stored under `key`, as a view valid inside the transaction; `nil` when there is none. In a
    /// `duplicateSort` database, the first (smallest) value.
    package func view(_ database: LMDBDatabase, key: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        var keyValue = MDB_val(key)
        var dataValue = MDB_val()
        let code = mdb_get(transactionHandle.pointer, database.handle, &keyValue, &dataValue)
        if code == MDB_NOTFOUND { return nil }
        try lmdbCheck(code, "mdb_get(\(database.name))")
        return UnsafeRawBufferPointer(dataValue)
    }

    /// The value stored under `key`, as a view valid inside the transaction; `nil` when there is none.
    package func view(_ database: LMDBDatabase, key: [UInt8]) throws -> UnsafeRawBufferPointer? {
        try key.withUnsafeBytes { try view(database, key: $0) }
    }

    /// A copy of the value stored under `key`; `nil` when there is none.
    package func get(_ database: LMDBDatabase, key: [UInt8]) throws -> [UInt8]? {
        try view(database, key: key).map { Array($0) }
    }

    /// Whether `key` has a value.
    package func contains(_ database: LMDBDatabase, key: [UInt8]) throws -> Bool {
        try view(database, key: key) != nil
    }

    /// Whether `key` holds `value` (meant for `duplicateSort` databases; in others, whether the value equals).
    package func contains(_ database: LMDBDatabase, key: [UInt8], value: [UInt8]) throws -> Bool {
        try withCursor(database) { cursor in try cursor.seek(key: key, value: value) != nil }
    }

    /// Runs `body` with a cursor on `database`; the cursor is closed when `body` returns.
    package func withCursor<T>(
        _ database: LMDBDatabase,
        _ body: (borrowing LMDBCursor) throws -> T
    ) throws -> T {
        var cursorPointer: OpaquePointer?
        try lmdbCheck(
            mdb_cursor_open(transactionHandle.pointer, database.handle, &cursorPointer),
            "mdb_cursor_open(\(database.name))"
        )
        guard let cursorPointer else {
            throw LMDBError(code: MDB_BAD_TXN, operation: "mdb_cursor_open(\(database.name))")
        }
        let cursor = LMDBCursor(pointer: cursorPointer, database: database, writeState: transactionHandle.writeState)
        return try body(cursor)
    }

    /// Visits the entries of `database` in key order, starting at the first key not less than `start` (or at the
    /// first key), until `body` returns `false`. In a `duplicateSort` database every value is visited, in order.
    package func forEach(
        in database: LMDBDatabase,
        from start: [UInt8]? = nil,
        _ body: (LMDBEntry) throws -> Bool
    ) throws {
        try withCursor(database) { cursor in
            var entry = try start.map { try cursor.seek(atLeast: $0) } ?? cursor.first()
            while let current = entry {
                guard try body(current) else { return }
                entry = try cursor.next()
            }
        }
    }

    /// Visits the values of `key` in a `duplicateSort` database, in order, until `body` returns `false`. Visits
    /// nothing when the key is absent.
    package func forEachValue(
        in database: LMDBDatabase,
        key: [UInt8],
        _ body: (UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try withCursor(database) { cursor in
            var entry = try cursor.seek(key)
            while let current = entry {
                guard try body(current.value) else { return }
                entry = try cursor.nextDuplicate()
            }
        }
    }

    /// Copies of the values of `key` in a `duplicateSort` database, in order (empty when the key is absent).
    package func values(in database: LMDBDatabase, key: [UInt8]) throws -> [[UInt8]] {
        var values: [[UInt8]] = []
        try forEachValue(in: database, key: key) { value in
            values.append(Array(value))
            return true
        }
        return values
    }

    /// The number of values of `key` (0 when absent, 1 in a database without `duplicateSort`).
    package func valueCount(in database: LMDBDatabase, key: [UInt8]) throws -> Int {
        try withCursor(database) { cursor in
            guard try cursor.seek(key) != nil else { return 0 }
            return try cursor.duplicateCount()
        }
    }

    /// `mdb_stat` of `database` as this transaction sees it.
    package func statistics(_ database: LMDBDatabase) throws -> LMDBDatabaseStatistics {
        var stat = MDB_stat()
        try lmdbCheck(mdb_stat(transactionHandle.pointer, database.handle, &stat), "mdb_stat(\(database.name))")
        return LMDBDatabaseStatistics(stat)
    }
}

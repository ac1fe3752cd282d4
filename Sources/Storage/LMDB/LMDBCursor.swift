import CLMDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A position in one database of a transaction (an `MDB_cursor`), lent to the closure of `withCursor` and closed
/// when it returns.
///
/// Every move returns the entry it lands on, or `nil` when there is none (the end, or no such key); the entry's
/// views follow the rules of `LMDBEntry`. In a `duplicateSort` database an entry is one key/value pair: `next()`
/// walks every value of every key, `nextDuplicate()` stays on the key, `nextKey()` skips to the next key.
package struct LMDBCursor: ~Copyable {
    private let pointer: OpaquePointer
    private let database: LMDBDatabase
    private let writeState: LMDBWriteState?

    init(pointer: OpaquePointer, database: LMDBDatabase, writeState: LMDBWriteState?) {
        self.pointer = pointer
        self.database = database
        self.writeState = writeState
    }

    deinit { mdb_cursor_close(pointer) }

    // MARK: Moving

    /// The first entry (`MDB_FIRST`).
    package func first() throws -> LMDBEntry? { try move(MDB_FIRST) }
    /// The last entry (`MDB_LAST`).
    package func last() throws -> LMDBEntry? { try move(MDB_LAST) }
    /// The next entry, every duplicate included (`MDB_NEXT`); the first when the cursor is unpositioned.
    package func next() throws -> LMDBEntry? { try move(MDB_NEXT) }
    /// The previous entry (`MDB_PREV`).
    package func previous() throws -> LMDBEntry? { try move(MDB_PREV) }
    /// The entry under the cursor (`MDB_GET_CURRENT`).
    package func current() throws -> LMDBEntry? { try move(MDB_GET_CURRENT) }
    /// The first value of the next key (`MDB_NEXT_NODUP`).
    package func nextKey() throws -> LMDBEntry? { try move(MDB_NEXT_NODUP) }
    /// The last value of the previous key (`MDB_PREV_NODUP`).
    package func previousKey() throws -> LMDBEntry? { try move(MDB_PREV_NODUP) }
    /// The next value of the current key (`MDB_NEXT_DUP`); `nil` after its last.
    package func nextDuplicate() throws -> LMDBEntry? { try move(MDB_NEXT_DUP) }
    /// The previous value of the current key (`MDB_PREV_DUP`).
    package func previousDuplicate() throws -> LMDBEntry? { try move(MDB_PREV_DUP) }
    /// The first value of the current key (`MDB_FIRST_DUP`).
    package func firstDuplicate() throws -> LMDBEntry? { try move(MDB_FIRST_DUP) }
    /// The last value of the current key (`MDB_LAST_DUP`).
    package func lastDuplicate() throws -> LMDBEntry? { try move(MDB_LAST_DUP) }

    /// The first value of exactly `key` (`MDB_SET_KEY`).
    package func seek(_ key: UnsafeRawBufferPointer) throws -> LMDBEntry? { try move(MDB_SET_KEY, key: key) }
    /// The first value of exactly `key` (`MDB_SET_KEY`).
    package func seek(_ key: [UInt8]) throws -> LMDBEntry? { try key.withUnsafeBytes { try seek($0) } }

    /// The first entry whose key is not less than `key` (`MDB_SET_RANGE`): the start of a range scan.
    package func seek(atLeast key: UnsafeRawBufferPointer) throws -> LMDBEntry? {
        try move(MDB_SET_RANGE, key: key)
    }
    /// The first entry whose key is not less than `key` (`MDB_SET_RANGE`): the start of a range scan.
    package func seek(atLeast key: [UInt8]) throws -> LMDBEntry? {
        try key.withUnsafeBytes { try seek(atLeast: $0) }
    }

    /// Exactly the pair `key`/`value` of a `duplicateSort` database (`MDB_GET_BOTH`).
    package func seek(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws -> LMDBEntry? {
        try move(MDB_GET_BOTH, key: key, value: value)
    }
    /// Exactly the pair `key`/`value` of a `duplicateSort` database (`MDB_GET_BOTH`).
    package func seek(key: [UInt8], value: [UInt8]) throws -> LMDBEntry? {
        try key.withUnsafeBytes { key in try value.withUnsafeBytes { try seek(key: key, value: $0) } }
    }

    /// The first value of `key` not less than `value`, in a `duplicateSort` database (`MDB_GET_BOTH_RANGE`).
    package func seek(key: UnsafeRawBufferPointer, atLeastValue value: UnsafeRawBufferPointer) throws -> LMDBEntry? {
        try move(MDB_GET_BOTH_RANGE, key: key, value: value)
    }
    /// The first value of `key` not less than `value`, in a `duplicateSort` database (`MDB_GET_BOTH_RANGE`).
    package func seek(key: [UInt8], atLeastValue value: [UInt8]) throws -> LMDBEntry? {
        try key.withUnsafeBytes { key in try value.withUnsafeBytes { try seek(key: key, atLeastValue: $0) } }
    }

    /// How many values the current key has (`mdb_cursor_count`); 1 outside `duplicateSort` databases.
    package func duplicateCount() throws -> Int {
        var count = 0
        try lmdbCheck(mdb_cursor_count(pointer, &count), "mdb_cursor_count(\(database.name))")
        return count
    }

    // MARK: Writing (write transactions only; in a read-only one LMDB answers EACCES)

    /// Deletes the entry under the cursor (`mdb_cursor_del`), or with `allDuplicates` every value of its key.
    /// The cursor then stands on the following entry: `current()` returns it.
    package func deleteCurrent(allDuplicates: Bool = false) throws {
        let code = mdb_cursor_del(pointer, allDuplicates ? UInt32(MDB_NODUPDATA) : 0)
        if code != 0 {
            let error = LMDBError(code: code, operation: "mdb_cursor_del(\(database.name))")
            throw writeState?.note(error) ?? error
        }
    }

    // MARK: -

    private func move(
        _ operation: MDB_cursor_op,
        key: UnsafeRawBufferPointer? = nil,
        value: UnsafeRawBufferPointer? = nil
    ) throws -> LMDBEntry? {
        var keyValue = key.map { MDB_val($0) } ?? MDB_val()
        var dataValue = value.map { MDB_val($0) } ?? MDB_val()
        var code = mdb_cursor_get(pointer, &keyValue, &dataValue, operation)
        // The positioning operations given a key (or value) may leave the caller's buffer in the output;
        // read the entry back from the map so that the views never point at the caller's memory.
        if code == 0, key != nil {
            code = mdb_cursor_get(pointer, &keyValue, &dataValue, MDB_GET_CURRENT)
        }
        if code == MDB_NOTFOUND { return nil }
        // An unpositioned cursor answers EINVAL to GET_CURRENT: there is no current entry.
        if code == EINVAL, operation == MDB_GET_CURRENT { return nil }
        try lmdbCheck(code, "mdb_cursor_get(\(database.name), \(Self.name(of: operation)))")
        return LMDBEntry(key: keyValue, value: dataValue)
    }

    private static func name(of operation: MDB_cursor_op) -> String {
        switch operation {
        case MDB_FIRST: "MDB_FIRST"
        case MDB_LAST: "MDB_LAST"
        case MDB_NEXT: "MDB_NEXT"
        case MDB_PREV: "MDB_PREV"
        case MDB_GET_CURRENT: "MDB_GET_CURRENT"
        case MDB_NEXT_NODUP: "MDB_NEXT_NODUP"
        case MDB_PREV_NODUP: "MDB_PREV_NODUP"
        case MDB_NEXT_DUP: "MDB_NEXT_DUP"
        case MDB_PREV_DUP: "MDB_PREV_DUP"
        case MDB_FIRST_DUP: "MDB_FIRST_DUP"
        case MDB_LAST_DUP: "MDB_LAST_DUP"
        case MDB_SET_KEY: "MDB_SET_KEY"
        case MDB_SET_RANGE: "MDB_SET_RANGE"
        case MDB_GET_BOTH: "MDB_GET_BOTH"
        case MDB_GET_BOTH_RANGE: "MDB_GET_BOTH_RANGE"
        default: "op \(operation.rawValue)"
        }
    }
}

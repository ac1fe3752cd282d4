import CLMDB

/// A key and value as LMDB holds them: views into the memory map (or into a write transaction's dirty pages).
///
/// The views are valid until the transaction they were read in ends. In a write transaction they are also
/// invalidated by the next write to the same database. Copy (`keyBytes`, `valueBytes`) whatever must outlive that.
package struct LMDBEntry {
    /// The key bytes, a view.
    package var key: UnsafeRawBufferPointer
    /// The value bytes, a view.
    package var value: UnsafeRawBufferPointer

    /// Makes an entry from two views.
    package init(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        self.key = key
        self.value = value
    }

    init(key: MDB_val, value: MDB_val) {
        self.key = UnsafeRawBufferPointer(key)
        self.value = UnsafeRawBufferPointer(value)
    }

    /// A copy of the key.
    package var keyBytes: [UInt8] { Array(key) }
    /// A copy of the value.
    package var valueBytes: [UInt8] { Array(value) }
}

extension UnsafeRawBufferPointer {
    /// A view of an `MDB_val`.
    init(_ value: MDB_val) {
        self.init(start: value.mv_data, count: value.mv_size)
    }
}

extension MDB_val {
    /// An `MDB_val` pointing at `bytes` (LMDB does not write through key or data pointers given to it, except with
    /// `MDB_RESERVE`, which this layer does not use).
    init(_ bytes: UnsafeRawBufferPointer) {
        self.init(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
    }
}

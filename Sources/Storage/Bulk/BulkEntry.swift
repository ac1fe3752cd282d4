import Schema

/// An entry ready for ``DirectoryStore/addBatch(_:slots:)``: validated, with its DN keys, encoding, index keys and
/// counter keys computed outside the write transaction (so that the transaction only writes, and a rerun after a
/// map growth costs nothing of this).
struct BulkEntry: Sendable {
    /// The entry's DN, for messages.
    var dn: String
    /// The `dn2id` key.
    var key: [UInt8]
    /// The parent's `dn2id` key; `nil` for a naming context (parent `EntryID.root`).
    var parentKey: [UInt8]?
    /// The entry as stored (``EntryCoder``).
    var encoded: [UInt8]
    /// The index keys of the entry under the store's active plan, by ``IndexSlots`` slot.
    var indexKeys: BulkIndexKeys
    /// The counter keys of the entry.
    var counterKeys: Set<[UInt8]>
}

/// A failure of ``DirectoryStore/addBatch(_:slots:)``: which entry of the batch, and why.
struct BulkBatchFailure: Error {
    /// The position of the entry in the batch.
    var index: Int
    /// Why it cannot be added.
    var error: StoreError
}

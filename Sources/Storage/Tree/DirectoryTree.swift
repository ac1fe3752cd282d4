/// The DN tree in three databases:
///
/// - `dn2id`: normalised DN key (``DNKeyMaker``) → entry id (8 bytes);
/// - `children` (duplicateSort, duplicateFixed): parent id → the ids of its children, in id order; the entries
///   at the top of the naming contexts are the children of ``EntryID/root`` (0);
/// - `parents`: entry id → parent id.
///
/// One-level scope reads one key of `children`; subtree scope walks `children` breadth first, so both cost what
/// they return. A candidate from an index is placed in a scope by walking `parents` up (as many reads as the
/// entry is deep).
struct DirectoryTree: Sendable {
    let dn2id: LMDBDatabase
    let children: LMDBDatabase
    let parents: LMDBDatabase

    /// How deep the parent walk goes before calling the tree damaged (a cycle).
    static let maximumDepth = 4096

    // MARK: Reading

    func id(forKey key: [UInt8], in transaction: borrowing some LMDBReadable & ~Copyable) throws -> EntryID? {
        guard !key.isEmpty else { return .root }
        guard let bytes = try transaction.view(dn2id, key: key) else { return nil }
        return EntryID(bytes: bytes)
    }

    func parent(of id: EntryID, in transaction: borrowing some LMDBReadable & ~Copyable) throws -> EntryID? {
        guard let bytes = try transaction.view(parents, key: id.bytes) else { return nil }
        return EntryID(bytes: bytes)
    }

    func childCount(of id: EntryID, in transaction: borrowing some LMDBReadable & ~Copyable) throws -> Int {
        try transaction.valueCount(in: children, key: id.bytes)
    }

    func children(of id: EntryID, in transaction: borrowing some LMDBReadable & ~Copyable) throws -> [EntryID] {
        var result: [EntryID] = []
        try transaction.forEachValue(in: children, key: id.bytes) { value in
            if let child = EntryID(bytes: value) { result.append(child) }
            return true
        }
        return result
    }

    /// `id` (unless it is the root) and every entry below it, breadth first.
    func subtree(of id: EntryID, in transaction: borrowing some LMDBReadable & ~Copyable) throws -> [EntryID] {
        var result: [EntryID] = id == .root ? [] : [id]
        var queue = [id]
        var next = 0
        while next < queue.count {
            let current = queue[next]
            next += 1
            let below = try children(of: current, in: transaction)
            result.append(contentsOf: below)
            queue.append(contentsOf: below)
        }
        return result
    }

    /// Whether `id` is `base` or below it.
    func isInSubtree(
        _ id: EntryID, of base: EntryID, in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws -> Bool {
        if base == .root || id == base { return true }
        var current = id
        for _ in 0..<Self.maximumDepth {
            guard let parent = try parent(of: current, in: transaction) else { return false }
            if parent == base { return true }
            if parent == .root { return false }
            current = parent
        }
        return false
    }

    // MARK: Writing

    /// Enters `id` under `key`, as a child of `parent`.
    func link(_ id: EntryID, key: [UInt8], parent: EntryID, in transaction: inout LMDBWriteTransaction) throws {
        try transaction.put(dn2id, key: key, value: id.bytes, flags: .noOverwrite)
        try transaction.put(children, key: parent.bytes, value: id.bytes)
        try transaction.put(parents, key: id.bytes, value: parent.bytes)
    }

    /// Removes what `link` entered.
    func unlink(_ id: EntryID, key: [UInt8], parent: EntryID, in transaction: inout LMDBWriteTransaction) throws {
        try transaction.delete(dn2id, key: key)
        try transaction.delete(children, key: parent.bytes, value: id.bytes)
        try transaction.delete(parents, key: id.bytes)
    }
}

import CLMDB

/// A named database inside an `LMDBEnvironment` (an `MDB_dbi`), valid for the life of the environment that
/// opened it.
package struct LMDBDatabase: Sendable, Hashable, CustomStringConvertible {
    /// How a database is opened (`mdb_dbi_open` flags). The key/value flags must be the same every time a
    /// database is opened; LMDB reports `MDB_INCOMPATIBLE` otherwise.
    package struct Flags: OptionSet, Sendable, Hashable {
        /// The raw `MDB_*` bits.
        package var rawValue: UInt32
        /// Makes flags from raw `MDB_*` bits.
        package init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `MDB_CREATE`: create the database if it does not exist (ignored when the environment is read-only).
        package static let create = Flags(rawValue: UInt32(MDB_CREATE))
        /// `MDB_DUPSORT`: a key holds several values, kept sorted (multi-valued index keys). Each value is then
        /// limited to the maximum key size.
        package static let duplicateSort = Flags(rawValue: UInt32(MDB_DUPSORT))
        /// `MDB_DUPFIXED`: with `duplicateSort`, all values of the database have the same size.
        package static let duplicateFixed = Flags(rawValue: UInt32(MDB_DUPFIXED))
        /// `MDB_INTEGERKEY`: keys are native-endian `UInt32` or `UInt64` (all the same size), compared as numbers.
        package static let integerKey = Flags(rawValue: UInt32(MDB_INTEGERKEY))
        /// `MDB_INTEGERDUP`: with `duplicateSort` and `duplicateFixed`, values are native-endian integers.
        package static let integerDuplicate = Flags(rawValue: UInt32(MDB_INTEGERDUP))
        /// `MDB_REVERSEKEY`: keys compared from their last byte backwards.
        package static let reverseKey = Flags(rawValue: UInt32(MDB_REVERSEKEY))
        /// `MDB_REVERSEDUP`: with `duplicateSort`, values compared from their last byte backwards.
        package static let reverseDuplicate = Flags(rawValue: UInt32(MDB_REVERSEDUP))

        /// The flags LMDB stores with a database (all but `create`).
        static let persistent: Flags = [
            .duplicateSort, .duplicateFixed, .integerKey, .integerDuplicate, .reverseKey, .reverseDuplicate,
        ]
    }

    /// The name given to `openDatabase`.
    package let name: String
    /// The flags it was created with (never `create`).
    package let flags: Flags
    /// LMDB's handle.
    let handle: MDB_dbi

    init(name: String, flags: Flags, handle: MDB_dbi) {
        self.name = name
        self.flags = flags.subtracting(.create)
        self.handle = handle
    }

    /// The name.
    package var description: String { name }
}

/// Per-database statistics (`mdb_stat`).
package struct LMDBDatabaseStatistics: Sendable, Hashable {
    /// Number of key/value pairs (every duplicate counts).
    package var entries: Int
    /// Depth of the B-tree.
    package var depth: Int
    /// Branch, leaf and overflow pages.
    package var branchPages: Int
    /// Leaf pages.
    package var leafPages: Int
    /// Overflow pages (values larger than about half a page).
    package var overflowPages: Int
    /// The page size in bytes.
    package var pageSize: Int

    init(_ stat: MDB_stat) {
        entries = stat.ms_entries
        depth = Int(stat.ms_depth)
        branchPages = stat.ms_branch_pages
        leafPages = stat.ms_leaf_pages
        overflowPages = stat.ms_overflow_pages
        pageSize = Int(stat.ms_psize)
    }
}

extension LMDBDatabase.Flags: CustomStringConvertible {
    /// The flag names, e.g. `[duplicateSort]`.
    package var description: String {
        let names: [(LMDBDatabase.Flags, String)] = [
            (.create, "create"), (.duplicateSort, "duplicateSort"), (.duplicateFixed, "duplicateFixed"),
            (.integerKey, "integerKey"), (.integerDuplicate, "integerDuplicate"), (.reverseKey, "reverseKey"),
            (.reverseDuplicate, "reverseDuplicate"),
        ]
        return "[" + names.filter { contains($0.0) }.map(\.1).joined(separator: ", ") + "]"
    }
}

/// The names of the store's databases and `meta` keys, and the layout version (docs/storage.md §2).
enum StoreLayout {
    /// The layout this release writes and reads (`meta` key `format`).
    static let version: UInt8 = 1

    static let entries = "entries"
    static let dn2id = "dn2id"
    static let children = "children"
    static let parents = "parents"
    static let meta = "meta"
    static let counters = "counters"
    /// The databases every store has, before the index databases.
    static let fixedDatabaseCount = 6

    static let formatKey = Array("format".utf8)
    static let nextIDKey = Array("nextID".utf8)
    static let indexesKey = Array("indexes".utf8)
    static let generationKey = Array("indexGeneration".utf8)
}

import Schema

/// The index databases of an ``IndexPlan`` numbered once, for the bulk loader: per attribute type id, the slot
/// of each of its index databases, so that an entry's keys name their database by number, not by name.
struct IndexSlots: Sendable {
    /// The slots of one attribute type; `-1` for a kind not kept.
    struct TypeSlots: Sendable {
        var equality = -1
        var ordering = -1
        var substring = -1
        var presence = -1
        var isIndexed: Bool { equality >= 0 || ordering >= 0 || substring >= 0 || presence >= 0 }
    }

    /// Slot → database name (``IndexPlan/databaseName(_:oid:)``).
    let names: [String]
    /// Attribute type id → its slots.
    let byType: [TypeSlots]

    init(plan: IndexPlan, context: SchemaContext) {
        var names: [String] = []
        var slotOfName: [String: Int] = [:]
        func slot(_ kind: IndexKinds, _ oid: String) -> Int {
            let name = IndexPlan.databaseName(kind, oid: oid)
            if let existing = slotOfName[name] { return existing }
            names.append(name)
            slotOfName[name] = names.count - 1
            return names.count - 1
        }
        var byType = [TypeSlots](repeating: TypeSlots(), count: context.attributeTypes.count)
        for type in context.attributeTypes {
            let kinds = plan.kinds(of: type.id)
            if kinds.isEmpty { continue }
            // As EntryIndexer.indexEntries(of:): a kind whose rule the type lacks has no keys.
            if kinds.contains(.presence) { byType[type.id].presence = slot(.presence, type.oid) }
            if kinds.contains(.equality), type.equality != nil { byType[type.id].equality = slot(.equality, type.oid) }
            if kinds.contains(.ordering), type.ordering != nil { byType[type.id].ordering = slot(.ordering, type.oid) }
            if kinds.contains(.substring), type.substring != nil {
                byType[type.id].substring = slot(.substring, type.oid)
            }
        }
        self.names = names
        self.byType = byType
    }
}

/// The index keys of one entry for the bulk loader, grouped by slot (ascending): the same (database, key)
/// pairs as ``EntryIndexer/indexEntries(of:)``, with `sub:` keys and presence packed into integers (no array per
/// key), each pair once.
struct BulkIndexKeys: Sendable {
    /// `eq:` and `ord:` keys, sorted by slot then key, unique.
    var values: [(slot: Int, key: [UInt8])] = []
    /// Presence and `sub:` keys, sorted and unique: see ``pack(slot:key:)``.
    var packed: [UInt64] = []

    /// `slot` in bits 48…63; a presence key has `0xFF` in bits 40…47, a `sub:` key its length (2…4 bytes) there
    /// and its bytes in bits 0…31, first byte highest.
    static func pack(slot: Int, gram bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value = UInt64(slot) << 48 | UInt64(bytes.count) << 40
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (24 - 8 * index) }
        return value
    }

    static func presence(slot: Int) -> UInt64 { UInt64(slot) << 48 | 0xFF << 40 }

    static func slot(of packed: UInt64) -> Int { Int(packed >> 48) }
    static func isPresence(_ packed: UInt64) -> Bool { (packed >> 40) & 0xFF == 0xFF }

    /// The bytes of a packed `sub:` key.
    static func withGram<R>(_ packed: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let count = Int((packed >> 40) & 0xFF)
        var bytes = UInt32(truncatingIfNeeded: packed).bigEndian
        return try withUnsafeBytes(of: &bytes) { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
    }
}

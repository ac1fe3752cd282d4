/// The keys of the index databases, from normalised values.
///
/// LMDB refuses empty keys and keys over its limit (511 bytes), so a key is the normalised value cut to the
/// limit, and the empty value is the key `[0]`. Both maps are monotone for byte order and equal values get
/// equal keys: an equality lookup or a range scan on keys finds every entry the value comparison would, plus
/// perhaps a few more (long values sharing a prefix), which the filter then rejects.
enum IndexKeys {
    /// The key of a normalised value in an `eq:` or `ord:` database.
    static func valueKey(_ normalized: [UInt8], maxKeySize: Int) -> [UInt8] {
        if normalized.isEmpty { return [0] }
        if normalized.count <= maxKeySize { return normalized }
        return Array(normalized.prefix(maxKeySize))
    }

    /// Length of the grams of a `sub:` database.
    static let gramLength = 3
    /// Key prefixes in `sub:` databases: a value's first 1…3 bytes, inner 3-byte grams, its last 1…3 bytes.
    static let initialTag: UInt8 = 0x01
    static let gramTag: UInt8 = 0x02
    static let finalTag: UInt8 = 0x03

    /// Every `sub:` key of a substring-normalised value: initial and final keys of lengths 1 to 3 and every
    /// 3-byte window.
    static func substringKeys(_ value: [UInt8]) -> Set<[UInt8]> {
        var keys: Set<[UInt8]> = []
        guard !value.isEmpty else { return keys }
        for length in 1...min(gramLength, value.count) {
            keys.insert([initialTag] + value.prefix(length))
            keys.insert([finalTag] + value.suffix(length))
        }
        if value.count >= gramLength {
            for start in 0...(value.count - gramLength) {
                keys.insert([gramTag] + value[start..<(start + gramLength)])
            }
        }
        return keys
    }

    /// The `sub:` keys every value matching the (normalised) pieces holds: the initial piece's first 1–3 bytes,
    /// the final piece's last 1–3, and the grams of every piece. Empty when the pieces are too short to say
    /// anything (the item then cannot use the index).
    static func substringQueryKeys(initial: [UInt8]?, any: [[UInt8]], final: [UInt8]?) -> Set<[UInt8]> {
        var keys: Set<[UInt8]> = []
        func grams(_ piece: [UInt8]) {
            guard piece.count >= gramLength else { return }
            for start in 0...(piece.count - gramLength) {
                keys.insert([gramTag] + piece[start..<(start + gramLength)])
            }
        }
        if let initial, !initial.isEmpty {
            keys.insert([initialTag] + initial.prefix(gramLength))
            grams(initial)
        }
        if let final, !final.isEmpty {
            keys.insert([finalTag] + final.suffix(gramLength))
            grams(final)
        }
        for piece in any { grams(piece) }
        return keys
    }
}

/// The number of an entry in the store: allocated from 1 upwards, never reused, stable across renames. Stored as
/// 8 bytes big-endian, so that byte order (LMDB's) is numeric order.
package struct EntryID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number.
    package var rawValue: UInt64

    /// Makes an id.
    package init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The parent of the naming contexts' top entries: no entry has this id.
    package static let root = EntryID(rawValue: 0)

    /// The 8 big-endian bytes.
    package var bytes: [UInt8] {
        withUnsafeBytes(of: rawValue.bigEndian) { Array($0) }
    }

    /// Reads 8 big-endian bytes; `nil` for any other size.
    package init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 8 else { return nil }
        var value: UInt64 = 0
        for byte in bytes { value = value << 8 | UInt64(byte) }
        self.rawValue = value
    }

    /// Reads 8 big-endian bytes; `nil` for any other size.
    package init?(bytes: [UInt8]) {
        guard let id = bytes.withUnsafeBytes({ EntryID(bytes: $0) }) else { return nil }
        self = id
    }

    package static func < (lhs: EntryID, rhs: EntryID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// `#N`.
    package var description: String { "#\(rawValue)" }
}

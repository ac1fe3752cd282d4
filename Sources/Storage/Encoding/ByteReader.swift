/// Reads what ``ByteWriter`` writes, from untrusted bytes: every read is bounds-checked and fails with a typed
/// error instead of trapping.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    mutating func readByte() throws(EntryDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw EntryDecodingError(.truncated, at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// An unsigned LEB128 integer of at most ten bytes that fits in 64 bits.
    mutating func readVarint() throws(EntryDecodingError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            let payload = UInt64(byte & 0x7F)
            if shift == 63 && payload > 1 { throw EntryDecodingError(.varintOverflow, at: start) }
            value |= payload << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw EntryDecodingError(.varintOverflow, at: start) }
        }
    }

    /// A varint that counts items each taking at least `minimumSize` bytes: refused when the rest of the input
    /// could not hold them (so a corrupt count never causes a huge allocation).
    mutating func readCount(minimumSize: Int = 1) throws(EntryDecodingError) -> Int {
        let start = offset
        let value = try readVarint()
        guard value <= UInt64(remaining / max(minimumSize, 1)) else {
            throw EntryDecodingError(.countTooLarge(value), at: start)
        }
        return Int(value)
    }

    mutating func readLengthPrefixed() throws(EntryDecodingError) -> [UInt8] {
        let start = offset
        let length = try readVarint()
        guard length <= UInt64(remaining) else { throw EntryDecodingError(.lengthTooLarge(length), at: start) }
        let count = Int(length)
        defer { offset += count }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
    }

    mutating func readString() throws(EntryDecodingError) -> String {
        let start = offset
        let raw = try readLengthPrefixed()
        guard let string = String(validating: raw, as: UTF8.self) else {
            throw EntryDecodingError(.invalidUTF8, at: start)
        }
        return string
    }
}

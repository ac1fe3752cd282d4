/// Appends the primitives of the storage encodings to a byte array: LEB128 variable-length integers,
/// length-prefixed byte strings and fixed-size big-endian integers.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func write(byte: UInt8) {
        bytes.append(byte)
    }

    /// Unsigned LEB128: seven bits a byte, low bits first, the high bit set on every byte but the last.
    mutating func write(varint value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func write(varint value: Int) {
        write(varint: UInt64(value))
    }

    /// A varint length, then the bytes.
    mutating func write<Bytes: Collection<UInt8>>(lengthPrefixed value: Bytes) {
        write(varint: value.count)
        bytes.append(contentsOf: value)
    }

    mutating func write(lengthPrefixed string: String) {
        write(lengthPrefixed: string.utf8)
    }
}

import NIOCore

/// Bytes from a hex string with optional spaces, for writing PDUs as they appear in captures.
func hexBuffer(_ hex: String) -> ByteBuffer {
    let digits = hex.filter { !$0.isWhitespace }
    var buffer = ByteBuffer()
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        buffer.writeInteger(UInt8(digits[index..<next], radix: 16) ?? 0)
        index = next
    }
    return buffer
}

extension ByteBuffer {
    var hexString: String {
        readableBytesView.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}

/// A small deterministic generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

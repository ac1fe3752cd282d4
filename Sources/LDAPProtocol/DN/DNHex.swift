/// Hex digits for the `\XX` and `#hex` forms of DNs and filters.
enum DNHex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of an ASCII hex digit (either case), or `nil`.
    @inline(__always)
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }

    /// Appends the two lower-case hex digits of `byte` to `output`.
    @inline(__always)
    static func append(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(self.digits[Int(byte >> 4)])
        output.append(self.digits[Int(byte & 0x0F)])
    }

    /// The two lower-case hex digits of `byte`.
    static func pair(_ byte: UInt8) -> String {
        var bytes: [UInt8] = []
        self.append(byte, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The UUID syntax (RFC 4530 §2.1): the 36-character string form of RFC 4122,
/// `f81d4fae-7dec-11d0-a765-00a0c91e6bf6`, hex digits in either case.
enum UUIDSyntax {
    static func violation(in value: [UInt8]) -> String? {
        guard value.count == 36 else { return "a UUID has 36 characters (8-4-4-4-12 hex digits), not \(value.count)" }
        for (offset, byte) in value.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                if byte != UInt8(ascii: "-") { return "expected '-' at offset \(offset)" }
            } else if Self.hexValue(byte) == nil {
                return "expected a hex digit at offset \(offset)"
            }
        }
        return nil
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

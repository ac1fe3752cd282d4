/// Database keys as ``VerificationFinding`` prints them.
enum PrintableKey {
    /// `#N` for 8 bytes, hex otherwise.
    static func id(_ bytes: UnsafeRawBufferPointer) -> String {
        EntryID(bytes: bytes).map(\.description) ?? hex(bytes)
    }

    /// The bytes as quoted text when they are UTF-8 (control bytes as `\xNN`, NUL as `\0`), hex otherwise.
    static func text<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        guard let text = String(validating: Array(bytes), as: UTF8.self) else { return hex(bytes) }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0: result += "\\0"
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0x01..<0x20, 0x7F: result += "\\x" + hexByte(UInt8(scalar.value))
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `0x` and two hex digits a byte.
    static func hex<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        "0x" + bytes.map(hexByte).joined()
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

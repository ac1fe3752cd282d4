/// Byte classes of ASCII text, for rules written over UTF-8 bytes.
enum ASCII {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }
}

/// Client values quoted in messages: cut to a readable length, control characters replaced, so that a message
/// never carries a client's megabyte or a line break into a log.
package enum Printable {
    package static func quoted(_ value: String, limit: Int = 80) -> String {
        var result = ""
        for (count, scalar) in value.unicodeScalars.enumerated() {
            if count == limit {
                result += "…"
                break
            }
            result.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar)
        }
        return result
    }
}

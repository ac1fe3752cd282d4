/// The two pieces of JSON the audit trail needs, written by hand: a fixed key order and no Foundation encoder
/// on the write path (the line is made inside the write transaction).
enum AuditJSON {
    /// `text` as a JSON string (RFC 8259 §7): quote, backslash and the controls escaped; everything else as
    /// UTF-8. DNs arrive from clients, so a crafted one cannot break the line or forge another.
    static func string(_ text: String) -> String {
        var escaped = "\""
        escaped.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case "\u{2028}": escaped += "\\u2028"
            case "\u{2029}": escaped += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped + "\""
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339, UTC, milliseconds) for a time in microseconds since 1970.
    static func timestamp(_ microseconds: Int64) -> String {
        // GeneralizedTimeFormatter gives `YYYYmmddHHMMSS.ffffffZ`; the calendar arithmetic stays in one place.
        let digits = Array(GeneralizedTimeFormatter.microseconds(microseconds).utf8)
        guard digits.count == 22 else { return String(decoding: digits, as: UTF8.self) }
        func part(_ range: Range<Int>) -> String { String(decoding: digits[range], as: UTF8.self) }
        return part(0..<4) + "-" + part(4..<6) + "-" + part(6..<8) + "T" + part(8..<10) + ":" + part(10..<12) + ":"
            + part(12..<14) + "." + part(15..<18) + "Z"
    }
}

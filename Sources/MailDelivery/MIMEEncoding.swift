/// The encodings a UTF-8 text mail needs: RFC 2047 encoded words for headers, RFC 2045 quoted-printable for the
/// body, and RFC 5321 dot-stuffing for DATA.
package enum MIMEEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// A header value: as is when it is printable ASCII, else `=?UTF-8?B?…?=` words of at most 75 characters
    /// (RFC 2047 §2), split between characters (never inside a UTF-8 sequence), folded with CRLF SP.
    package static func encodedHeaderValue(_ text: String) -> String {
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return text }
        // 75 − len("=?UTF-8?B?") − len("?=") = 63 base64 characters: 45 bytes of text.
        let maximumBytes = 45
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text.unicodeScalars {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > maximumBytes {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + base64(bytes) + "?="
    }

    /// Standard base64 with padding (RFC 4648 §4).
    package static func base64(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let first = bytes[index]
            let second = index + 1 < bytes.count ? bytes[index + 1] : 0
            let third = index + 2 < bytes.count ? bytes[index + 2] : 0
            output.append(base64Alphabet[Int(first >> 2)])
            output.append(base64Alphabet[Int((first & 0x03) << 4 | second >> 4)])
            output.append(index + 1 < bytes.count ? base64Alphabet[Int((second & 0x0F) << 2 | third >> 6)] : 61)
            output.append(index + 2 < bytes.count ? base64Alphabet[Int(third & 0x3F)] : 61)
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The body as quoted-printable (RFC 2045 §6.7) with CRLF line ends: lines of at most 76 characters (soft
    /// breaks `=`), `=`, non-ASCII and control bytes as `=XX`, a space or tab before a line end encoded, and a
    /// leading `.` encoded so that no line can read as the end of DATA even before dot-stuffing.
    package static func quotedPrintable(_ text: String) -> String {
        var output = ""
        let lines = text.replacingLineEnds().split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if number > 0 { output += "\r\n" }
            let bytes = Array(line.utf8)
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                var piece: String
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    piece = isLast ? escape(byte) : String(UnicodeScalar(byte))
                case UInt8(ascii: "."):
                    piece = current.isEmpty ? escape(byte) : "."
                case 0x21...0x7E where byte != UInt8(ascii: "="):
                    piece = String(UnicodeScalar(byte))
                default:
                    piece = escape(byte)
                }
                // 75 leaves room for the soft break's "=" (76 in all).
                if current.utf8.count + piece.utf8.count > (isLast ? 76 : 75) {
                    output += current + "=\r\n"
                    current = ""
                    if byte == UInt8(ascii: ".") { piece = escape(byte) }
                }
                current += piece
            }
            output += current
        }
        return output
    }

    private static func escape(_ byte: UInt8) -> String {
        "=" + String(decoding: [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]], as: UTF8.self)
    }

    /// DATA's transparency (RFC 5321 §4.5.2): every line starting with `.` gets another `.`; line ends become
    /// CRLF; the result ends with CRLF `.` CRLF.
    package static func dotStuffed(_ message: String) -> [UInt8] {
        var output: [UInt8] = []
        let lines = message.replacingLineEnds().split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            // The text's own final line end, if any, is the CRLF before the terminating dot.
            if number == lines.count - 1 && line.isEmpty { break }
            if line.hasPrefix(".") { output.append(UInt8(ascii: ".")) }
            output += Array(line.utf8)
            output += [13, 10]
        }
        output += Array(".\r\n".utf8)
        return output
    }
}

extension String {
    /// CRLF and lone CR as LF.
    func replacingLineEnds() -> String {
        var result = ""
        var previousWasCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                result.unicodeScalars.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

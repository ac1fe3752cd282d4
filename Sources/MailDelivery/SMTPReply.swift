/// A server's reply to one SMTP command (RFC 5321 §4.2): a three-digit code and one or more text lines.
package struct SMTPReply: Equatable, Sendable, CustomStringConvertible {
    /// The reply code, 200–599 (the same on every line of a multi-line reply).
    package var code: Int
    /// The text of each line, after the code and its separator.
    package var lines: [String]

    /// Makes a reply.
    package init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2xx: the command was accepted.
    package var isPositive: Bool { (200..<300).contains(code) }
    /// 3xx: go on (334 during AUTH, 354 after DATA).
    package var isIntermediate: Bool { (300..<400).contains(code) }

    /// `250 text` (the lines joined), as errors quote it.
    package var description: String {
        "\(code) " + lines.joined(separator: " / ")
    }
}

/// Gathers the lines of multi-line replies (`250-first`, `250-second`, `250 last`) into ``SMTPReply`` values.
struct SMTPReplyParser {
    private var pending: [String] = []
    private var pendingCode: Int?

    /// The longest line accepted (RFC 5321 §4.5.3.1.5 says 512 with the code and CRLF; servers send longer
    /// EHLO lines, so allow some room).
    static let maximumLineLength = 4096
    /// The most lines one reply may have (an EHLO answer has a dozen).
    static let maximumLines = 200

    /// Adds one line (without CRLF); a finished reply when it was the last one.
    mutating func feed(_ line: String) throws(SMTPError) -> SMTPReply? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes.prefix(3).allSatisfy({ (48...57).contains($0) }),
            let code = Int(String(decoding: bytes.prefix(3), as: UTF8.self)), (200...599).contains(code)
        else {
            throw SMTPError.protocolViolation("malformed reply line '\(line.prefix(80))'")
        }
        let separator: UInt8? = bytes.count > 3 ? bytes[3] : nil
        guard separator == nil || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw SMTPError.protocolViolation("malformed reply line '\(line.prefix(80))'")
        }
        if let pendingCode, pendingCode != code {
            throw SMTPError.protocolViolation("reply lines with different codes (\(pendingCode), \(code))")
        }
        pendingCode = code
        pending.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard pending.count <= Self.maximumLines else {
            throw SMTPError.protocolViolation("a reply of more than \(Self.maximumLines) lines")
        }
        guard separator != UInt8(ascii: "-") else { return nil }
        let reply = SMTPReply(code: code, lines: pending)
        pending = []
        pendingCode = nil
        return reply
    }
}

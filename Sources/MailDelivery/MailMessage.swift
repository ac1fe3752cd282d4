import Foundation

/// A plain-text UTF-8 mail to one recipient (RFC 5322 with RFC 2045/2047 MIME).
package struct MailMessage: Equatable, Sendable {
    /// The envelope and `From:` address.
    package var from: String
    /// The `From:` display name (encoded when not ASCII); `nil`: the bare address.
    package var fromName: String?
    /// The envelope and `To:` address.
    package var to: String
    /// The subject, in clear (encoded as RFC 2047 words when needed).
    package var subject: String
    /// The body, in clear, with any line ends.
    package var body: String
    /// The `Date:` header's moment.
    package var date: Date
    /// The `Message-ID:` value without angle brackets (`unique@domain`).
    package var messageID: String

    /// Makes a message; `messageID` defaults to random bytes at the sender's domain.
    package init(
        from: String, fromName: String? = nil, to: String, subject: String, body: String, date: Date,
        messageID: String? = nil
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID ?? Self.makeMessageID(from: from)
    }

    /// `<hex>@<domain of from>`; the random part is 128 bits, so ids never collide.
    package static func makeMessageID(from: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        return random.joined() + "@" + domain
    }

    /// The header and body as sent in DATA (before dot-stuffing), CRLF line ends.
    package var rendered: String {
        var from = "<\(self.from)>"
        if let fromName, !fromName.isEmpty {
            from = Self.displayName(fromName) + " " + from
        }
        let headers = [
            "Date: " + Self.rfc5322Date(date),
            "From: " + from,
            "To: <\(to)>",
            "Subject: " + MIMEEncoding.encodedHeaderValue(subject),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            // RFC 3834: an automatic message; well-behaved responders do not answer it.
            "Auto-Submitted: auto-generated",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + MIMEEncoding.quotedPrintable(body) + "\r\n"
    }

    /// A display name: an encoded word when not ASCII, else a quoted string when it has specials.
    private static func displayName(_ name: String) -> String {
        if !name.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return MIMEEncoding.encodedHeaderValue(name) }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"" + escaped + "\""
    }

    /// RFC 5322 §3.3 date in UTC: `Wed, 25 Nov 2026 17:52:23 +0000`.
    package static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// Whether `address` can go in MAIL FROM / RCPT TO and a header: `local@domain`, printable ASCII, no
    /// spaces, angle brackets, or line ends (a value from the directory must not inject commands or headers).
    package static func isUsableAddress(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, bytes.allSatisfy({ (0x21...0x7E).contains($0) }),
            !bytes.contains(UInt8(ascii: "<")), !bytes.contains(UInt8(ascii: ">")),
            !bytes.contains(UInt8(ascii: ",")), !bytes.contains(UInt8(ascii: ";"))
        else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
    }
}

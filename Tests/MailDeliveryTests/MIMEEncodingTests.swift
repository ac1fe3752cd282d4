import Foundation
import Testing

@testable import MailDelivery

@Suite("MIME encoding")
struct MIMEEncodingTests {
    @Test("an ASCII subject stays as it is")
    func asciiSubject() {
        #expect(MIMEEncoding.encodedHeaderValue("Password expiry") == "Password expiry")
    }

    @Test("a French subject becomes RFC 2047 words that decode back, each at most 75 characters")
    func frenchSubject() throws {
        let subject =
            "Votre mot de passe du Portail de la Gestion Publique expire dans 7 jours — prescription à échéance"
        let encoded = MIMEEncoding.encodedHeaderValue(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = String(word.dropFirst(10).dropLast(2))
            decoded += try #require(Data(base64Encoded: payload))
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test("a line end in a header value cannot start a new header")
    func headerInjection() {
        let encoded = MIMEEncoding.encodedHeaderValue("Hello\r\nBcc: victim@example.com")
        #expect(!encoded.contains("\r\nBcc"))
        #expect(encoded.hasPrefix("=?UTF-8?B?"))
    }

    @Test("base64 matches Foundation's", arguments: ["", "a", "ab", "abc", "abcd", "é€😀"])
    func base64(text: String) {
        #expect(MIMEEncoding.base64(Array(text.utf8)) == Data(text.utf8).base64EncodedString())
    }

    @Test("quoted-printable: accents as =XX, '=' escaped, lines at most 76, trailing space kept, decodes back")
    func quotedPrintable() {
        let body =
            "Bonjour Élodie,\nLe mot de passe expirera le lundi 7 décembre 2026 à 14 h 30.\na=b \n"
            + String(repeating: "é", count: 60) + "\n.ligne qui commence par un point\n"
        let encoded = MIMEEncoding.quotedPrintable(body)
        #expect(encoded.contains("=C3=89lodie"))
        #expect(encoded.contains("a=3Db=20\r\n"))
        #expect(encoded.contains("=2Eligne"))
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
            #expect(line.utf8.allSatisfy { $0 < 128 })
        }
        #expect(Self.decodeQuotedPrintable(encoded) == body.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("dot-stuffing doubles a leading dot, uses CRLF and ends with CRLF.CRLF")
    func dotStuffing() {
        let stuffed = String(decoding: MIMEEncoding.dotStuffed("a\n.b\n..c\r\n.\nd\n"), as: UTF8.self)
        #expect(stuffed == "a\r\n..b\r\n...c\r\n..\r\nd\r\n.\r\n")
        #expect(String(decoding: MIMEEncoding.dotStuffed("x"), as: UTF8.self) == "x\r\n.\r\n")
    }

    @Test("the message has the MIME headers: Date, Message-ID, charset, transfer encoding, encoded Subject")
    func message() {
        let message = MailMessage(
            from: "pamelanonreponse@dgfip.finances.gouv.fr", fromName: "Portail de la Gestion Publique",
            to: "elodie.martin@example.fr", subject: "Votre mot de passe expire bientôt", body: "Bonjour,\n",
            date: Date(timeIntervalSince1970: 1_796_000_000), messageID: "abc@dgfip.finances.gouv.fr")
        let text = message.rendered
        #expect(text.hasPrefix("Date: Mon, 30 Nov 2026 00:53:20 +0000\r\n"))
        #expect(
            text.contains("\r\nFrom: \"Portail de la Gestion Publique\" <pamelanonreponse@dgfip.finances.gouv.fr>\r\n"))
        #expect(text.contains("\r\nTo: <elodie.martin@example.fr>\r\n"))
        #expect(text.contains("\r\nSubject: =?UTF-8?B?"))
        #expect(text.contains("\r\nMessage-ID: <abc@dgfip.finances.gouv.fr>\r\n"))
        #expect(text.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(text.contains("\r\nContent-Transfer-Encoding: quoted-printable\r\n"))
        #expect(text.contains("\r\nMIME-Version: 1.0\r\n"))
        #expect(text.hasSuffix("\r\n\r\nBonjour,\r\n\r\n"))
    }

    @Test("fresh Message-IDs differ and carry the sender's domain")
    func messageIDs() {
        let first = MailMessage.makeMessageID(from: "a@example.org")
        #expect(first.hasSuffix("@example.org"))
        #expect(first != MailMessage.makeMessageID(from: "a@example.org"))
    }

    @Test(
        "addresses that could inject commands are refused",
        arguments: [
            ("a@b.fr", true), ("a b@c.fr", false), ("a@b.fr>\r\nRCPT TO:<x@y", false), ("nobody", false),
            ("@b.fr", false),
            ("é@b.fr", false),
        ])
    func addresses(address: String, usable: Bool) {
        #expect(MailMessage.isUsableAddress(address) == usable)
    }

    /// Decodes quoted-printable (soft breaks and =XX), as a mail reader does.
    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count + 0 {
                if input[index + 1] == 13, index + 2 < input.count, input[index + 2] == 10 {
                    index += 3
                    continue
                }
                let hex = String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self)
                bytes.append(UInt8(hex, radix: 16) ?? 0)
                index += 3
                continue
            }
            bytes.append(input[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

@Suite("SMTP replies")
struct SMTPReplyTests {
    @Test("a multi-line EHLO reply is one reply")
    func multiLine() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.feed("250-mail.example.org Hello") == nil)
        #expect(try parser.feed("250-STARTTLS") == nil)
        let reply = try #require(try parser.feed("250 AUTH PLAIN LOGIN"))
        #expect(reply.code == 250)
        #expect(reply.lines == ["mail.example.org Hello", "STARTTLS", "AUTH PLAIN LOGIN"])
        #expect(try parser.feed("354") == SMTPReply(code: 354, lines: [""]))
    }

    @Test("malformed lines are protocol violations", arguments: ["hello", "25", "999 x", "250_x", "600 no"])
    func malformed(line: String) {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPError.self) { try parser.feed(line) }
    }

    @Test("a reply changing its code mid-way is refused")
    func mixedCodes() throws {
        var parser = SMTPReplyParser()
        _ = try parser.feed("250-first")
        #expect(throws: SMTPError.self) { try parser.feed("550 second") }
    }

    @Test("errors name the command and the server's reply")
    func errorText() {
        let error = SMTPError.rejected(command: "RCPT TO", reply: SMTPReply(code: 550, lines: ["5.1.1 no such user"]))
        #expect(error.description == "the SMTP server refused RCPT TO: 550 5.1.1 no such user")
        #expect(!error.isConnectionLost)
        #expect(SMTPError.rejected(command: "MAIL FROM", reply: SMTPReply(code: 421, lines: ["bye"])).isConnectionLost)
    }
}

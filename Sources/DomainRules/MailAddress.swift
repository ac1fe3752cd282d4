/// D3: the syntax of an e-mail address the directory accepts: `local@domain` (RFC 5321 §4.1.2 Mailbox with a
/// dot-atom local part), ASCII only (`mail` is an IA5String), at most 64 characters before the `@` and 254 in
/// all (RFC 5321 §4.5.3.1); the domain a host name of at least two labels (letters, digits, inner hyphens, up to
/// 63 characters each) whose last label, the top-level domain, is letters only. Quoted local parts and address
/// literals (`user@[192.0.2.1]`) are valid in RFC 5321 but not a professional address: refused.
package struct MailAddress: Hashable, Sendable {
    /// The part before the `@`, as written.
    package let localPart: String
    /// The part after the `@`, as written.
    package let domain: String

    /// Characters of a dot-atom besides letters and digits (RFC 5322 §3.2.3 atext).
    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    /// The address, or nil when `text` is not one.
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard Self.isDotAtom(local), local.count <= 64, Self.isHostName(domain) else { return nil }
        self.localPart = String(decoding: local, as: UTF8.self)
        self.domain = String(decoding: domain, as: UTF8.self)
    }

    /// nil when `value` is an address, the violation otherwise.
    package static func syntaxViolation(_ value: String) -> DomainRuleViolation? {
        if MailAddress(value) != nil { return nil }
        return DomainRuleViolation(
            .mail, "mail",
            "mail '\(Printable.quoted(value))' is not a valid e-mail address (expected name@domain.tld, ASCII)")
    }

    private static func isDotAtom(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != UInt8(ascii: "."), last != UInt8(ascii: ".")
        else { return false }
        var previousDot = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousDot { return false }
                previousDot = true
                continue
            }
            previousDot = false
            guard ASCII.isAlphanumeric(byte) || atextSymbols.contains(byte) else { return false }
        }
        return true
    }

    private static func isHostName(_ bytes: ArraySlice<UInt8>) -> Bool {
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy(ASCII.isLetter) else {
            return false
        }
        for label in labels {
            guard let first = label.first, let last = label.last, label.count <= 63,
                first != UInt8(ascii: "-"), last != UInt8(ascii: "-"),
                label.allSatisfy({ ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }
}

/// D4: a mobile number, as a person types it, and its stored form, E.164 (`+` and up to 15 digits, ITU-T E.164
/// §6), which the SMS gateway needs (docs/password-reset.md).
///
/// Accepted forms, with spaces, dots, hyphens or slashes between digits:
/// - E.164: `+` then the country code and number, 8 to 15 digits, not starting with 0 (`+33 6 12 34 56 78`,
///   `+32 470 12 34 56`); `00` in place of `+` (`0033 6…`); French numbers may carry the trunk `(0)`
///   (`+33 (0)6 12 34 56 78`). A French number (`+33`) must be a mobile one: 9 digits starting with 6 or 7.
/// - French national: 10 digits, `06` or `07` then 8 (ARCEP plan). Overseas mobiles take their own country code:
///   `0690`, `0691` Guadeloupe, Saint-Martin, Saint-Barthélemy (+590); `0694` Guyane (+594); `0696`, `0697`
///   Martinique (+596); `0692`, `0693` La Réunion and `0639` Mayotte (+262); others +33.
package enum MobileNumber {
    /// The E.164 form of `value`, or nil when it is not a mobile number in an accepted form.
    package static func normalized(_ value: String) -> String? {
        var text = Array(value.utf8)
        // The French trunk prefix written after the country code: "+33 (0)6…".
        if let open = text.firstIndex(of: UInt8(ascii: "(")), open + 2 < text.count,
            text[open + 1] == UInt8(ascii: "0"),
            text[open + 2] == UInt8(ascii: ")")
        {
            text.removeSubrange(open...(open + 2))
        }
        var digits: [UInt8] = []
        var international = false
        for (index, byte) in text.enumerated() {
            if ASCII.isDigit(byte) {
                digits.append(byte)
            } else if byte == UInt8(ascii: "+"), index == 0 {
                international = true
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "/")
            {
                if digits.isEmpty && !international { return nil }
            } else {
                return nil
            }
        }
        if !international, digits.count > 2, digits[0] == UInt8(ascii: "0"), digits[1] == UInt8(ascii: "0") {
            international = true
            digits.removeFirst(2)
        }
        if international { return e164(digits) }
        return frenchNational(digits)
    }

    /// nil when `value` is a mobile number in an accepted form, the violation otherwise.
    package static func violation(_ value: String) -> DomainRuleViolation? {
        if normalized(value) != nil { return nil }
        return DomainRuleViolation(
            .mobile, "mobile",
            "mobile '\(Printable.quoted(value))' is not a mobile number in E.164 form (+33612345678) or French "
                + "national form (06 12 34 56 78)")
    }

    private static func e164(_ digits: [UInt8]) -> String? {
        guard (8...15).contains(digits.count), digits[0] != UInt8(ascii: "0") else { return nil }
        if digits.starts(with: Array("33".utf8)) {
            let national = digits.dropFirst(2)
            guard national.count == 9, national.first == UInt8(ascii: "6") || national.first == UInt8(ascii: "7")
            else { return nil }
        }
        return "+" + String(decoding: digits, as: UTF8.self)
    }

    /// Overseas mobile prefixes (national form, without the leading 0) and their country codes.
    private static let overseas: [(prefix: String, countryCode: String)] = [
        ("690", "590"), ("691", "590"), ("694", "594"), ("696", "596"), ("697", "596"), ("692", "262"),
        ("693", "262"), ("639", "262"),
    ]

    private static func frenchNational(_ digits: [UInt8]) -> String? {
        guard digits.count == 10, digits[0] == UInt8(ascii: "0"),
            digits[1] == UInt8(ascii: "6") || digits[1] == UInt8(ascii: "7")
        else { return nil }
        let national = String(decoding: digits.dropFirst(), as: UTF8.self)
        for (prefix, countryCode) in overseas where national.hasPrefix(prefix) {
            return "+" + countryCode + national
        }
        return "+33" + national
    }
}

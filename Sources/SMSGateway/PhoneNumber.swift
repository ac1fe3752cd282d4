/// Telephone numbers as the directory stores them (`mobile`: free text such as `06 12 34 56 78`, `+33 6 12…`,
/// `0033612…`) turned into E.164 (`+33612345678`), the form SMS gateways expect.
public enum PhoneNumber {
    /// `text` in E.164 form, or `nil` when it is not a number: spaces, dots, dashes and parentheses are ignored;
    /// `+CC…` and `00CC…` are international; a national number starting with one `0` (French style) gets
    /// `defaultCountryCode` in place of the `0`. The result has 8 to 15 digits after the `+`.
    public static func e164(_ text: String, defaultCountryCode: String) -> String? {
        var digits = ""
        var international = false
        for (index, character) in text.enumerated() {
            if character == "+", index == 0 || digits.isEmpty && !international {
                international = true
            } else if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !" .-()/\u{00A0}".contains(character) {
                return nil
            }
        }
        let country = defaultCountryCode.hasPrefix("+") ? String(defaultCountryCode.dropFirst()) : defaultCountryCode
        let national: String
        if international {
            national = digits
        } else if digits.hasPrefix("00") {
            national = String(digits.dropFirst(2))
        } else if digits.hasPrefix("0"), !country.isEmpty, country.allSatisfy({ $0.isASCII && $0.isNumber }) {
            national = country + digits.dropFirst()
        } else {
            return nil
        }
        guard (8...15).contains(national.count), national.first != "0" else { return nil }
        return "+" + national
    }
}

/// SIREN and SIRET numbers (INSEE): a SIREN is 9 digits whose last is a Luhn check digit; a SIRET is the SIREN
/// followed by a 5-digit NIC chosen so that the 14 digits pass the Luhn check too (D9).
public enum Siret {
    /// Whether `text` is 14 ASCII digits passing the Luhn check.
    public static func isValid(_ text: String) -> Bool {
        let digits = Array(text.utf8)
        return digits.count == 14 && passesLuhn(digits)
    }

    /// Whether `text` is 9 ASCII digits passing the Luhn check.
    public static func isValidSIREN(_ text: String) -> Bool {
        let digits = Array(text.utf8)
        return digits.count == 9 && passesLuhn(digits)
    }

    /// Whether the ASCII digits pass the Luhn check (every second digit from the right doubled).
    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        return luhnSum(digits.map { Int($0 - 48) }, lastIsCheck: true) % 10 == 0
    }

    /// The Luhn sum of `digits`; with `lastIsCheck` false, digits are weighted as if a check digit followed.
    private static func luhnSum(_ digits: [Int], lastIsCheck: Bool) -> Int {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            let doubled = lastIsCheck ? offset % 2 == 1 : offset % 2 == 0
            if doubled {
                let twice = digit * 2
                sum += twice > 9 ? twice - 9 : twice
            } else {
                sum += digit
            }
        }
        return sum
    }

    /// The digit that, appended to `digits`, makes them pass the Luhn check.
    static func checkDigit(for digits: [Int]) -> Int {
        (10 - luhnSum(digits, lastIsCheck: false) % 10) % 10
    }

    /// A SIRET made of a 2-digit legal-category `prefix`, a 6-digit `serial` (taken modulo 10⁶) and its Luhn
    /// key, then the NIC: `establishment` on 4 digits (modulo 10⁴) and the digit that makes the 14 pass Luhn.
    static func make(prefix: Int, serial: Int, establishment: Int) -> String {
        var digits = [prefix / 10 % 10, prefix % 10]
        digits += sixDigits(serial)
        digits.append(checkDigit(for: digits))
        var establishmentNumber = establishment % 10_000
        var nic: [Int] = []
        for _ in 0..<4 {
            nic.insert(establishmentNumber % 10, at: 0)
            establishmentNumber /= 10
        }
        digits += nic
        digits.append(checkDigit(for: digits))
        return String(decoding: digits.map { UInt8(48 + $0) }, as: UTF8.self)
    }

    private static func sixDigits(_ value: Int) -> [Int] {
        var rest = value % 1_000_000
        var digits = [Int](repeating: 0, count: 6)
        for index in stride(from: 5, through: 0, by: -1) {
            digits[index] = rest % 10
            rest /= 10
        }
        return digits
    }
}

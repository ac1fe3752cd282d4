/// D9: a SIRET (INSEE): 14 digits, the 9 of the SIREN then the 5 of the establishment (NIC), with a Luhn check
/// over the 14. One documented exception: La Poste's establishments (SIREN 356 000 000) are too many for the
/// Luhn key, and INSEE checks their SIRET by the sum of its digits being a multiple of 5.
package enum SiretNumber {
    /// La Poste's SIREN, whose SIRETs follow the sum-of-digits rule.
    static let laPosteSIREN = Array("356000000".utf8)

    /// nil when `value` is a valid SIRET, the violation otherwise.
    package static func violation(_ value: String) -> DomainRuleViolation? {
        let bytes = Array(value.utf8)
        guard bytes.count == 14, bytes.allSatisfy(ASCII.isDigit) else {
            return DomainRuleViolation(
                .siret, "aspasieSiret", "aspasieSiret '\(Printable.quoted(value))' is not 14 digits")
        }
        guard isValid(bytes) else {
            return DomainRuleViolation(
                .siret, "aspasieSiret", "aspasieSiret '\(value)' has a wrong check digit (Luhn key)")
        }
        return nil
    }

    /// Whether 14 ASCII digits form a valid SIRET.
    static func isValid(_ digits: [UInt8]) -> Bool {
        if digits.prefix(9).elementsEqual(laPosteSIREN) {
            return digits.reduce(0) { $0 + Int($1 - 48) } % 5 == 0
        }
        return passesLuhn(digits)
    }

    /// The Luhn check: from the right, every second digit doubled (minus 9 above 9); the sum is a multiple of 10.
    package static func passesLuhn(_ digits: [UInt8]) -> Bool {
        guard !digits.isEmpty, digits.allSatisfy(ASCII.isDigit) else { return false }
        var sum = 0
        for (offset, byte) in digits.reversed().enumerated() {
            let digit = Int(byte - 48)
            if offset % 2 == 1 {
                sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }
}

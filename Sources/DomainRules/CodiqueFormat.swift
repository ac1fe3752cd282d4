/// D2, D14: the form of a codique, the code of a DGFiP service: 7 characters, the département on three
/// (`001`–`095`, `02A`, `02B`, `971`–`976`) followed by four digits (the service within it), e.g. `0750001`.
package enum CodiqueFormat {
    /// nil when `value` is a codique, the violation (naming `attribute`) otherwise.
    package static func violation(_ value: String, attribute: String = "aspasieCodique") -> DomainRuleViolation? {
        if isWellFormed(value) { return nil }
        return DomainRuleViolation(
            .personFields, attribute,
            "\(attribute) '\(Printable.quoted(value))' is not a codique (7 characters: the département on 3, "
                + "001 to 095, 02A, 02B or 971 to 976, then 4 digits, e.g. 0750001)")
    }

    /// Whether `value` has the codique form.
    package static func isWellFormed(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 7, bytes[3...].allSatisfy(ASCII.isDigit) else { return false }
        return isDepartement(bytes[0], bytes[1], bytes[2])
    }

    /// Whether the three characters name a département: metropolitan 001–095 (020 no longer exists: Corsica is
    /// 02A and 02B since 1976), Corsica, or overseas 971–976.
    private static func isDepartement(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Bool {
        if first == UInt8(ascii: "0"), second == UInt8(ascii: "2"),
            third == UInt8(ascii: "A") || third == UInt8(ascii: "a")
                || third == UInt8(ascii: "B") || third == UInt8(ascii: "b")
        {
            return true
        }
        guard ASCII.isDigit(first), ASCII.isDigit(second), ASCII.isDigit(third) else { return false }
        let number = Int(first - 48) * 100 + Int(second - 48) * 10 + Int(third - 48)
        return (1...95).contains(number) && number != 20 || (971...976).contains(number)
    }
}

/// D2: the population of a person: `SSLEPN` (national public establishments) or `SSLSPL` (local public
/// establishments and schools), the only two values of the sources (note §2.3.1).
package enum PopulationCode {
    /// The allowed values, as the sources write them.
    package static let allowed = ["SSLEPN", "SSLSPL"]

    /// nil when `value` is one of ``allowed`` (compared without regard to case, as the attribute's
    /// caseIgnoreMatch does), the violation otherwise.
    package static func violation(_ value: String) -> DomainRuleViolation? {
        let upper = value.uppercased()
        if allowed.contains(upper) { return nil }
        return DomainRuleViolation(
            .personFields, "aspasiePopulation",
            "aspasiePopulation '\(Printable.quoted(value))' is not an allowed population (SSLEPN or SSLSPL)")
    }
}

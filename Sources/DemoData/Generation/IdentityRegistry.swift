/// Hands out unique identifiers and mail local parts.
///
/// Uniqueness is kept with one counter per base form (`jean.dupont`, `jdupont`) rather than a set of every value
/// given, so memory is bounded by the number of name combinations of the built-in lists, not by the number of
/// people: the second `jean.dupont` becomes `jean.dupont2`, the second `jdupont-xt` becomes `jdupont2-xt`. Base
/// forms never end with a digit, so a numbered form can never equal another base form.
struct IdentityRegistry {
    private var mailCounters: [String: Int] = [:]
    private var externalCounters: [String: Int] = [:]

    /// A mail local part not given before: `jean-pierre.le-gall`, then `jean-pierre.le-gall2`…
    mutating func mailLocalPart(given: FrenchNames.GivenName, surname: FrenchNames.Surname) -> String {
        let base = given.mailPart + "." + surname.mailPart
        return base + Self.number(for: base, in: &mailCounters)
    }

    /// An external identifier not given before: `jplegall-xt`, then `jplegall2-xt`…
    mutating func externalIdentifier(given: FrenchNames.GivenName, surname: FrenchNames.Surname) -> String {
        let base = given.initials + surname.letters
        return base + Self.number(for: base, in: &externalCounters) + "-xt"
    }

    /// `""` the first time `base` is seen, then `2`, `3`…
    private static func number(for base: String, in counters: inout [String: Int]) -> String {
        let count = counters[base, default: 0] + 1
        counters[base] = count
        return count == 1 ? "" : String(count)
    }
}

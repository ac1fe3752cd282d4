/// D1: the sign-in identifier. External users (local-authority officers, partners) have one ending in `-xt`
/// (`jdupont-xt`); DGFiP staff sign in with the left part of their e-mail address.
package enum SignInIdentifier {
    /// The suffix of external identifiers.
    package static let externalSuffix = "-xt"

    /// nil when `identifier` is a valid sign-in identifier for an entry whose mail addresses are `mails`, the
    /// violation otherwise: an external identifier is `-xt` after at least one letter, digit, `.`, `_` or `-`; any
    /// other form is for DGFiP staff only — an entry with an address at one of `staffMailDomains` (any address when
    /// that list is empty), who sign in with their mail's local part (the bind's `mail-local-part` look-up).
    package static func violation(_ identifier: String, mails: [String], staffMailDomains: [String])
        -> DomainRuleViolation?
    {
        let lower = identifier.lowercased()
        if lower.hasSuffix(externalSuffix) {
            let stem = Array(lower.utf8.dropLast(externalSuffix.utf8.count))
            let allowed =
                !stem.isEmpty
                && stem.allSatisfy {
                    ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                        || $0 == UInt8(ascii: "-")
                }
            if allowed { return nil }
            return DomainRuleViolation(
                .identifier, "aspasieIdentifier",
                "aspasieIdentifier '\(Printable.quoted(identifier))' is not an identifier (letters, digits, '.', "
                    + "'_' or '-' before '-xt')")
        }
        let domains = Set(staffMailDomains.map { $0.lowercased() })
        for mail in mails {
            guard let address = MailAddress(mail) else { continue }
            if domains.isEmpty || domains.contains(address.domain.lowercased()) { return nil }
        }
        let staff = domains.isEmpty ? "a mail" : "a mail at " + domains.sorted().joined(separator: " or ")
        return DomainRuleViolation(
            .identifier, "aspasieIdentifier",
            "aspasieIdentifier '\(Printable.quoted(identifier))' must end in '-xt' (external users; only DGFiP "
                + "staff, with \(staff), have another form)")
    }
}

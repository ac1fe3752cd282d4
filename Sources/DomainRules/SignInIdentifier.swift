/// D1: the sign-in identifier. External users (local-authority officers, partners) have one ending in `-xt`
/// (`jdupont-xt`); DGFiP staff sign in with the left part of their e-mail address.
package enum SignInIdentifier {
    /// The suffix of external identifiers.
    package static let externalSuffix = "-xt"

    /// nil when `identifier` is a valid sign-in identifier for an entry whose mail addresses are `mails`, the
    /// violation otherwise: an external identifier is `-xt` after at least one letter, digit, `.`, `_` or `-`;
    /// any other must be the local part of one of the entry's addresses, at one of `staffMailDomains` when that
    /// list is not empty (the domains whose people are DGFiP staff).
    package static func violation(_ identifier: String, mails: [String], staffMailDomains: [String])
        -> DomainRuleViolation?
    {
        let lower = identifier.lowercased()
        if lower.hasSuffix(externalSuffix) {
            let stem = Array(lower.utf8.dropLast(externalSuffix.utf8.count))
            let allowed = !stem.isEmpty && stem.allSatisfy {
                ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
            if allowed { return nil }
            return DomainRuleViolation(
                .identifier, "aspasieIdentifier",
                "aspasieIdentifier '\(Printable.quoted(identifier))' is not an identifier (letters, digits, '.', "
                    + "'_' or '-' before '-xt')")
        }
        let domains = Set(staffMailDomains.map { $0.lowercased() })
        for mail in mails {
            guard let address = MailAddress(mail), address.localPart.lowercased() == lower else { continue }
            if domains.isEmpty || domains.contains(address.domain.lowercased()) { return nil }
        }
        let staff = domains.isEmpty ? "" : " at " + domains.sorted().joined(separator: " or ")
        return DomainRuleViolation(
            .identifier, "aspasieIdentifier",
            "aspasieIdentifier '\(Printable.quoted(identifier))' must end in '-xt' (external users) or be the "
                + "local part of the entry's mail\(staff) (DGFiP staff)")
    }
}

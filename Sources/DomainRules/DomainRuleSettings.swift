/// How the partner directory's rules are applied (docs/domain-rules.md, configuration keys `domain-rules…`).
package struct DomainRuleSettings: Hashable, Sendable {
    /// Whether the server checks the rules at all (on by default).
    package var enabled: Bool
    /// Which addresses are generic (D3).
    package var genericMail: GenericMailPolicy
    /// The mail domains of DGFiP staff, whose identifier is the local part of their address (D1); empty: any.
    package var staffMailDomains: [String]

    /// Settings; by default the rules are on, with the default generic words and patterns and the DGFiP's domain.
    package init(
        enabled: Bool = true,
        genericMail: GenericMailPolicy = GenericMailPolicy(),
        staffMailDomains: [String] = ["dgfip.finances.gouv.fr"]
    ) {
        self.enabled = enabled
        self.genericMail = genericMail
        self.staffMailDomains = staffMailDomains
    }

    /// The rules off.
    package static let off = DomainRuleSettings(enabled: false)
}

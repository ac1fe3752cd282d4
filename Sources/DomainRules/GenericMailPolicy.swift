/// D3: which addresses are generic (shared mailboxes: `contact@`, `accueil@`, `secretariat@`, `compta@`…), which
/// the sources prohibit ("adresse professionnelle nominative. La mention d'une adresse générique doit être
/// prohibée", note §2.3.1).
///
/// An address is generic when, lower-cased and without a `+tag`,
/// - its local part, or the first word of it (words split at `.`, `-`, `_`), trailing digits removed, is one of
///   ``localParts``: `contact`, `contact2`, `accueil.mairie`, `compta-ville` are generic; `jean.contact` is not;
/// - or it matches one of ``patterns`` (``GlobPattern``): against the local part, or against the whole address
///   when the pattern contains `@`.
package struct GenericMailPolicy: Hashable, Sendable {
    /// Generic words (lower case).
    package var localParts: Set<String>
    /// Patterns of generic mailboxes.
    package var patterns: [GlobPattern]

    /// A policy with these words and patterns.
    package init(
        localParts: [String] = GenericMailPolicy.defaultLocalParts,
        patterns: [String] = GenericMailPolicy.defaultPatterns
    ) {
        self.localParts = Set(localParts.map { String(decoding: Array($0.utf8).map(ASCII.lowercased), as: UTF8.self) })
        self.patterns = patterns.map(GlobPattern.init)
    }

    /// The default generic words: shared mailboxes of town halls, schools, public establishments and their
    /// accounting offices, and technical mailboxes.
    package static let defaultLocalParts = [
        "contact", "contacts", "accueil", "secretariat", "secretaire", "compta", "comptabilite", "comptable",
        "mairie", "ville", "commune", "info", "infos", "information", "informations", "admin", "administration",
        "administratif", "direction", "directeur", "directrice", "gestion", "gestionnaire", "intendance", "agence",
        "factures", "facture", "facturation", "fournisseurs", "ordonnateur", "courrier", "courriel", "standard",
        "service", "services", "cabinet", "presidence", "president", "rh", "drh", "dgs", "dg", "paie",
        "recrutement", "achats", "commandes", "marches", "tresorerie", "finances", "economat", "scolarite",
        "office", "bureau", "support", "webmaster", "postmaster", "hostmaster", "abuse", "root", "noreply",
        "nepasrepondre", "test",
    ]

    /// The default patterns: a school's mailbox (`ce.` or `int.` and its UAI, 7 digits and a letter, at
    /// `ac-….fr`), the DGFiP's functional mailboxes (`ddfip…`, `drfip…`, `sgc.…`, `sip.…`, `sie.…`) and "do not
    /// reply" senders (`pamelanonreponse@`, `no-reply@`…).
    package static let defaultPatterns = [
        "ce.#######?", "int.#######?", "ddfip*", "drfip*", "sgc.*", "sip.*", "sie.*", "*nonreponse*",
        "*ne-pas-repondre*", "*no-reply*", "*noreply*", "agent*comptable*", "agence*comptable*",
    ]

    /// nil when `address` is nominative, the violation otherwise (naming the word or pattern that matched).
    package func violation(_ address: MailAddress) -> DomainRuleViolation? {
        var local = String(decoding: Array(address.localPart.utf8).map(ASCII.lowercased), as: UTF8.self)
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        let whole = local + "@" + address.domain.lowercased()
        let firstWord =
            local.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "_" }).first.map(String.init) ?? local
        for candidate in [local, firstWord] {
            let word = String(candidate.reversed().drop(while: \.isASCIIDigit).reversed())
            if localParts.contains(word) {
                return DomainRuleViolation(
                    .mail, "mail",
                    "mail '\(address.localPart)@\(address.domain)' is a generic address ('\(word)'); a nominative "
                        + "professional address is required")
            }
        }
        for pattern in patterns where pattern.matches(pattern.text.contains("@") ? whole : local) {
            return DomainRuleViolation(
                .mail, "mail",
                "mail '\(address.localPart)@\(address.domain)' is a generic address (pattern '\(pattern.text)'); a "
                    + "nominative professional address is required")
        }
        return nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

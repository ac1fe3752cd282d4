import DomainRules

extension ConfigurationValidator {
    /// `domain-rules`, `domain-rules-generic-mail-local-parts` and `domain-rules-generic-mail-patterns`; the staff
    /// domains of D1 are `bind-identifier-mail-domains` (the domains whose people sign in with their mail's local
    /// part).
    mutating func domainRuleSettings(staffMailDomains: [String]) -> DomainRuleSettings {
        let words = list(.domainRulesGenericMailLocalParts) ?? GenericMailPolicy.defaultLocalParts
        for word in words
        where word.isEmpty || !word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) {
            fail(
                .domainRulesGenericMailLocalParts, "'\(word)' is not a mail word (ASCII letters, digits, '-', '.', '_')"
            )
        }
        let patterns = list(.domainRulesGenericMailPatterns) ?? GenericMailPolicy.defaultPatterns
        for pattern in patterns where pattern.isEmpty || pattern.contains(where: { !$0.isASCII || $0 == " " }) {
            fail(
                .domainRulesGenericMailPatterns, "'\(pattern)' is not a pattern (ASCII, no spaces; * ? # as wildcards)")
        }
        return DomainRuleSettings(
            enabled: boolean(.domainRules, default: true),
            genericMail: GenericMailPolicy(localParts: words, patterns: patterns),
            staffMailDomains: staffMailDomains)
    }
}

extension MatchingRule {
    private static func syntax(_ number: Int) -> String {
        "1.3.6.1.4.1.1466.115.121.1." + String(number)
    }

    private static let substringAssertionSyntax = syntax(58)
    private static let ignoreSpaces = Normalization.prepared(.fold, .spaces, .unicode)
    private static let exactSpaces = Normalization.prepared(.preserve, .spaces, .unicode)
    private static let ignoreIA5 = Normalization.prepared(.fold, .spaces, .ia5)
    private static let exactIA5 = Normalization.prepared(.preserve, .spaces, .ia5)
    private static let numeric = Normalization.prepared(.fold, .numericString, .numeric)
    private static let telephone = Normalization.prepared(.fold, .telephoneNumber, .unicode)

    /// objectIdentifierMatch (2.5.13.0).
    public static let objectIdentifierMatch = MatchingRule(
        oid: "2.5.13.0", names: ["objectIdentifierMatch"], kind: .equality, syntaxOID: syntax(38),
        normalization: .objectIdentifier)
    /// distinguishedNameMatch (2.5.13.1), with components normalised as caseIgnoreMatch; use
    /// ``distinguishedNameMatch(normalizer:)`` (or the registry's
    /// ``MatchingRuleRegistry/withDNNormalizer(_:)``) for a schema-aware one.
    public static let distinguishedNameMatch = distinguishedNameMatch(normalizer: SchemaDNNormalizer())
    /// caseIgnoreMatch (2.5.13.2).
    public static let caseIgnoreMatch = MatchingRule(
        oid: "2.5.13.2", names: ["caseIgnoreMatch"], kind: .equality, syntaxOID: syntax(15),
        normalization: ignoreSpaces)
    /// caseIgnoreOrderingMatch (2.5.13.3).
    public static let caseIgnoreOrderingMatch = MatchingRule(
        oid: "2.5.13.3", names: ["caseIgnoreOrderingMatch"], kind: .ordering, syntaxOID: syntax(15),
        normalization: ignoreSpaces)
    /// caseIgnoreSubstringsMatch (2.5.13.4).
    public static let caseIgnoreSubstringsMatch = MatchingRule(
        oid: "2.5.13.4", names: ["caseIgnoreSubstringsMatch"], kind: .substrings, syntaxOID: substringAssertionSyntax,
        normalization: ignoreSpaces)
    /// caseExactMatch (2.5.13.5).
    public static let caseExactMatch = MatchingRule(
        oid: "2.5.13.5", names: ["caseExactMatch"], kind: .equality, syntaxOID: syntax(15),
        normalization: exactSpaces)
    /// caseExactOrderingMatch (2.5.13.6).
    public static let caseExactOrderingMatch = MatchingRule(
        oid: "2.5.13.6", names: ["caseExactOrderingMatch"], kind: .ordering, syntaxOID: syntax(15),
        normalization: exactSpaces)
    /// caseExactSubstringsMatch (2.5.13.7).
    public static let caseExactSubstringsMatch = MatchingRule(
        oid: "2.5.13.7", names: ["caseExactSubstringsMatch"], kind: .substrings, syntaxOID: substringAssertionSyntax,
        normalization: exactSpaces)
    /// numericStringMatch (2.5.13.8).
    public static let numericStringMatch = MatchingRule(
        oid: "2.5.13.8", names: ["numericStringMatch"], kind: .equality, syntaxOID: syntax(36),
        normalization: numeric)
    /// numericStringOrderingMatch (2.5.13.9).
    public static let numericStringOrderingMatch = MatchingRule(
        oid: "2.5.13.9", names: ["numericStringOrderingMatch"], kind: .ordering, syntaxOID: syntax(36),
        normalization: numeric)
    /// numericStringSubstringsMatch (2.5.13.10).
    public static let numericStringSubstringsMatch = MatchingRule(
        oid: "2.5.13.10", names: ["numericStringSubstringsMatch"], kind: .substrings,
        syntaxOID: substringAssertionSyntax, normalization: numeric)
    /// caseIgnoreListMatch (2.5.13.11), for Postal Address values.
    public static let caseIgnoreListMatch = MatchingRule(
        oid: "2.5.13.11", names: ["caseIgnoreListMatch"], kind: .equality, syntaxOID: syntax(41),
        normalization: .caseIgnoreList)
    /// caseIgnoreListSubstringsMatch (2.5.13.12): no piece may span two lines.
    public static let caseIgnoreListSubstringsMatch = MatchingRule(
        oid: "2.5.13.12", names: ["caseIgnoreListSubstringsMatch"], kind: .substrings,
        syntaxOID: substringAssertionSyntax, normalization: .caseIgnoreList)
    /// booleanMatch (2.5.13.13).
    public static let booleanMatch = MatchingRule(
        oid: "2.5.13.13", names: ["booleanMatch"], kind: .equality, syntaxOID: syntax(7), normalization: .boolean)
    /// integerMatch (2.5.13.14), of any size.
    public static let integerMatch = MatchingRule(
        oid: "2.5.13.14", names: ["integerMatch"], kind: .equality, syntaxOID: syntax(27), normalization: .integer)
    /// integerOrderingMatch (2.5.13.15).
    public static let integerOrderingMatch = MatchingRule(
        oid: "2.5.13.15", names: ["integerOrderingMatch"], kind: .ordering, syntaxOID: syntax(27),
        normalization: .integer)
    /// bitStringMatch (2.5.13.16).
    public static let bitStringMatch = MatchingRule(
        oid: "2.5.13.16", names: ["bitStringMatch"], kind: .equality, syntaxOID: syntax(6), normalization: .bitString)
    /// octetStringMatch (2.5.13.17).
    public static let octetStringMatch = MatchingRule(
        oid: "2.5.13.17", names: ["octetStringMatch"], kind: .equality, syntaxOID: syntax(40), normalization: .octets)
    /// octetStringOrderingMatch (2.5.13.18).
    public static let octetStringOrderingMatch = MatchingRule(
        oid: "2.5.13.18", names: ["octetStringOrderingMatch"], kind: .ordering, syntaxOID: syntax(40),
        normalization: .octets)
    /// telephoneNumberMatch (2.5.13.20).
    public static let telephoneNumberMatch = MatchingRule(
        oid: "2.5.13.20", names: ["telephoneNumberMatch"], kind: .equality, syntaxOID: syntax(50),
        normalization: telephone)
    /// telephoneNumberSubstringsMatch (2.5.13.21).
    public static let telephoneNumberSubstringsMatch = MatchingRule(
        oid: "2.5.13.21", names: ["telephoneNumberSubstringsMatch"], kind: .substrings,
        syntaxOID: substringAssertionSyntax, normalization: telephone)
    /// uniqueMemberMatch (2.5.13.23), components normalised as caseIgnoreMatch unless built
    /// with ``uniqueMemberMatch(normalizer:)``.
    public static let uniqueMemberMatch = uniqueMemberMatch(normalizer: SchemaDNNormalizer())
    /// generalizedTimeMatch (2.5.13.27).
    public static let generalizedTimeMatch = MatchingRule(
        oid: "2.5.13.27", names: ["generalizedTimeMatch"], kind: .equality, syntaxOID: syntax(24),
        normalization: .generalizedTime)
    /// generalizedTimeOrderingMatch (2.5.13.28).
    public static let generalizedTimeOrderingMatch = MatchingRule(
        oid: "2.5.13.28", names: ["generalizedTimeOrderingMatch"], kind: .ordering, syntaxOID: syntax(24),
        normalization: .generalizedTime)
    /// integerFirstComponentMatch (2.5.13.29): an INTEGER against the first component of a
    /// description such as a DIT structure rule.
    public static let integerFirstComponentMatch = MatchingRule(
        oid: "2.5.13.29", names: ["integerFirstComponentMatch"], kind: .equality, syntaxOID: syntax(27),
        normalization: .firstComponent(.integer))
    /// objectIdentifierFirstComponentMatch (2.5.13.30): an OID against the first component of
    /// a description such as an attribute type description.
    public static let objectIdentifierFirstComponentMatch = MatchingRule(
        oid: "2.5.13.30", names: ["objectIdentifierFirstComponentMatch"], kind: .equality, syntaxOID: syntax(38),
        normalization: .firstComponent(.objectIdentifier))
    /// caseExactIA5Match (1.3.6.1.4.1.1466.109.114.1).
    public static let caseExactIA5Match = MatchingRule(
        oid: "1.3.6.1.4.1.1466.109.114.1", names: ["caseExactIA5Match"], kind: .equality, syntaxOID: syntax(26),
        normalization: exactIA5)
    /// caseIgnoreIA5Match (1.3.6.1.4.1.1466.109.114.2).
    public static let caseIgnoreIA5Match = MatchingRule(
        oid: "1.3.6.1.4.1.1466.109.114.2", names: ["caseIgnoreIA5Match"], kind: .equality, syntaxOID: syntax(26),
        normalization: ignoreIA5)
    /// caseIgnoreIA5SubstringsMatch (1.3.6.1.4.1.1466.109.114.3).
    public static let caseIgnoreIA5SubstringsMatch = MatchingRule(
        oid: "1.3.6.1.4.1.1466.109.114.3", names: ["caseIgnoreIA5SubstringsMatch"], kind: .substrings,
        syntaxOID: substringAssertionSyntax, normalization: ignoreIA5)
    /// caseExactIA5SubstringsMatch (OpenLDAP's 1.3.6.1.4.1.4203.1.2.1; not in RFC 4517).
    public static let caseExactIA5SubstringsMatch = MatchingRule(
        oid: "1.3.6.1.4.1.4203.1.2.1", names: ["caseExactIA5SubstringsMatch"], kind: .substrings,
        syntaxOID: substringAssertionSyntax, normalization: exactIA5)
    /// uuidMatch (RFC 4530, 1.3.6.1.1.16.2).
    public static let uuidMatch = MatchingRule(
        oid: "1.3.6.1.1.16.2", names: ["uuidMatch"], kind: .equality, syntaxOID: "1.3.6.1.1.16.1",
        normalization: .uuid)
    /// uuidOrderingMatch (RFC 4530, 1.3.6.1.1.16.3).
    public static let uuidOrderingMatch = MatchingRule(
        oid: "1.3.6.1.1.16.3", names: ["uuidOrderingMatch"], kind: .ordering, syntaxOID: "1.3.6.1.1.16.1",
        normalization: .uuid)

    /// distinguishedNameMatch normalising components with `normalizer`.
    public static func distinguishedNameMatch(normalizer: SchemaDNNormalizer) -> MatchingRule {
        MatchingRule(
            oid: "2.5.13.1", names: ["distinguishedNameMatch"], kind: .equality, syntaxOID: syntax(12),
            normalization: .distinguishedName(normalizer))
    }

    /// uniqueMemberMatch normalising the DN's components with `normalizer`.
    public static func uniqueMemberMatch(normalizer: SchemaDNNormalizer) -> MatchingRule {
        MatchingRule(
            oid: "2.5.13.23", names: ["uniqueMemberMatch"], kind: .equality, syntaxOID: syntax(34),
            normalization: .nameAndOptionalUID(normalizer))
    }

    /// Every built-in rule.
    public static let builtIns: [MatchingRule] = [
        .objectIdentifierMatch, .distinguishedNameMatch, .caseIgnoreMatch, .caseIgnoreOrderingMatch,
        .caseIgnoreSubstringsMatch, .caseExactMatch, .caseExactOrderingMatch, .caseExactSubstringsMatch,
        .numericStringMatch, .numericStringOrderingMatch, .numericStringSubstringsMatch, .caseIgnoreListMatch,
        .caseIgnoreListSubstringsMatch, .booleanMatch, .integerMatch, .integerOrderingMatch, .bitStringMatch,
        .octetStringMatch, .octetStringOrderingMatch, .telephoneNumberMatch, .telephoneNumberSubstringsMatch,
        .uniqueMemberMatch, .generalizedTimeMatch, .generalizedTimeOrderingMatch, .integerFirstComponentMatch,
        .objectIdentifierFirstComponentMatch, .caseExactIA5Match, .caseIgnoreIA5Match,
        .caseIgnoreIA5SubstringsMatch, .caseExactIA5SubstringsMatch, .uuidMatch, .uuidOrderingMatch,
    ]
}

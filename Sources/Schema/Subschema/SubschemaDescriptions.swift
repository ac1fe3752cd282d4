extension AttributeSyntax {
    /// The syntax as an RFC 4512 §4.1.5 `SyntaxDescription`, the value the server publishes in the `ldapSyntaxes`
    /// attribute of its subschema entry: `( OID DESC 'description' )`, with `X-NOT-HUMAN-READABLE 'TRUE'` for
    /// binary syntaxes (RFC 4517 marks them so, and clients such as ldapsearch then print values in base64).
    public var rfc4512Description: String {
        var parts = ["(", oid, "DESC", SchemaTokenizer.quote(description)]
        if !isHumanReadable { parts += ["X-NOT-HUMAN-READABLE", SchemaTokenizer.quote("TRUE")] }
        parts.append(")")
        return parts.joined(separator: " ")
    }
}

extension MatchingRule {
    /// The rule as an RFC 4512 §4.1.3 `MatchingRuleDescription`, the value the server publishes in the
    /// `matchingRules` attribute of its subschema entry: `( OID NAME 'name' SYNTAX assertionSyntaxOID )`.
    public var rfc4512Description: String {
        var parts = ["(", oid]
        SchemaDescriptionPrinter.appendNames(names, to: &parts)
        parts += ["SYNTAX", syntaxOID, ")"]
        return parts.joined(separator: " ")
    }
}

extension Schema {
    /// Checks every matching rule and syntax an attribute type declares against what the server implements
    /// (names and OIDs, compared case-insensitively), and returns one error per unknown reference, with the
    /// file and line of the attribute type. Inherited references are reported once, on the type that declares
    /// them.
    ///
    /// The lead wires this to the matching-rule and syntax registries at start-up.
    public func validateReferences(knownMatchingRules: Set<String>, knownSyntaxes: Set<String>) -> [SchemaError] {
        let rules = Set(knownMatchingRules.map { $0.lowercased() })
        let syntaxes = Set(knownSyntaxes.map { $0.lowercased() })
        var errors: [SchemaError] = []
        for (index, definition) in attributeTypes.enumerated() {
            let location = attributeLocations[index]
            for rule in [definition.equality, definition.ordering, definition.substring].compactMap({ $0 })
            where !rules.contains(rule.lowercased()) {
                errors.append(SchemaError(.unknownMatchingRule(rule, of: definition.primaryName), at: location))
            }
            if let syntax = definition.syntax, !syntaxes.contains(syntax.lowercased()) {
                errors.append(SchemaError(.unknownSyntax(syntax, of: definition.primaryName), at: location))
            }
        }
        return errors
    }
}

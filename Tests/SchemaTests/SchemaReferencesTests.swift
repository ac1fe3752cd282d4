import Testing

@testable import Schema

@Suite("Shipped schema against the built-in rules and syntaxes")
struct SchemaReferencesTests {
    @Test("every matching rule and syntax named by the shipped files is implemented")
    func everyReferenceResolves() throws {
        let schema = try ShippedSchema.load()
        let rules = MatchingRuleRegistry.builtIn.all
        let syntaxes = SyntaxRegistry.builtIn.all
        let ruleNames = Set(rules.flatMap { [$0.oid] + $0.names })
        let syntaxOIDs = Set(syntaxes.map(\.oid))
        let errors = schema.validateReferences(knownMatchingRules: ruleNames, knownSyntaxes: syntaxOIDs)
        #expect(errors.isEmpty, "\(errors.map(\.description))")
        for type in schema.attributeTypes {
            for rule in [type.equality, type.ordering, type.substring].compactMap({ $0 }) {
                #expect(MatchingRuleRegistry.builtIn[rule] != nil, "\(type.primaryName): \(rule)")
            }
            if let syntax = type.syntax {
                #expect(SyntaxRegistry.builtIn[syntax] != nil, "\(type.primaryName): \(syntax)")
            }
        }
    }
}

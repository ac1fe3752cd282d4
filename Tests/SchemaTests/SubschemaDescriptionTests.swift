import Schema
import Testing

@Suite("Subschema descriptions")
struct SubschemaDescriptionTests {
    @Test("syntaxes print as RFC 4512 SyntaxDescription, binary ones marked")
    func syntaxes() {
        #expect(AttributeSyntax.directoryString.rfc4512Description == "( 1.3.6.1.4.1.1466.115.121.1.15 DESC 'Directory String' )")
        #expect(AttributeSyntax.certificate.rfc4512Description
            == "( 1.3.6.1.4.1.1466.115.121.1.8 DESC 'Certificate' X-NOT-HUMAN-READABLE 'TRUE' )")
    }

    @Test("matching rules print as RFC 4512 MatchingRuleDescription")
    func rules() {
        #expect(MatchingRule.caseIgnoreMatch.rfc4512Description
            == "( 2.5.13.2 NAME 'caseIgnoreMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )")
        #expect(MatchingRuleRegistry.builtIn.all.allSatisfy { $0.rfc4512Description.hasPrefix("( \($0.oid) ") })
    }
}

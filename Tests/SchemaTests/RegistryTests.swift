import Schema
import Testing

@Suite("Schema registry")
struct RegistryTests {
    static let chain = baseSchema + """

        attributetype ( 1.2.1 NAME ( 'level1' 'firstLevel' ) SUP name ORDERING caseIgnoreOrderingMatch )
        attributetype ( 1.2.2 NAME 'level2' SUP level1 EQUALITY caseExactMatch )
        attributetype ( 1.2.3 NAME 'level3' SUP 1.2.2 SYNTAX 1.3.6.1.4.1.1466.115.121.1.44 SINGLE-VALUE )
        attributetype ( 1.2.4 NAME 'level4' SUP level3 )
        attributetype ( 1.2.5 NAME 'sibling' SUP name )
        attributetype ( 1.2.6 NAME 'unrelated' EQUALITY booleanMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.7 )
        """

    @Test func lookupsAreCaseInsensitiveByAnyNameOrOID() throws {
        let schema = try buildSchema(Self.chain)
        let level1 = try #require(schema.attributeType(named: "FIRSTLEVEL"))
        #expect(level1.oid == "1.2.1")
        #expect(schema.attributeType(named: "1.2.1") == level1)
        #expect(schema.attributeType(named: "Level1") == level1)
        #expect(level1.isNamed("firstlevel") && level1.isNamed("1.2.1") && !level1.isNamed("level2"))
        #expect(schema.attributeType(named: "top") == nil)
        #expect(schema.objectClass(named: "name") == nil)
        #expect(schema.attributeTypes.map(\.oid).prefix(2) == ["2.5.4.0", "2.5.4.41"])
    }

    @Test func inheritanceResolvesRulesAndSyntaxFromTheNearestSupertype() throws {
        let schema = try buildSchema(Self.chain)
        let level4 = try #require(schema.resolvedAttributeType(named: "level4"))
        #expect(level4.superiorOIDs == ["1.2.3", "1.2.2", "1.2.1", "2.5.4.41"])
        #expect(level4.equality == "caseExactMatch")
        #expect(level4.ordering == "caseIgnoreOrderingMatch")
        #expect(level4.substring == "caseIgnoreSubstringsMatch")
        #expect(level4.syntax == "1.3.6.1.4.1.1466.115.121.1.44")
        #expect(level4.syntaxLength == nil)  // level3's syntax, declared without a length
        #expect(!level4.isSingleValued)  // SINGLE-VALUE is not inherited
        let level2 = try #require(schema.resolvedAttributeType(named: "level2"))
        #expect(level2.syntax == "1.3.6.1.4.1.1466.115.121.1.15" && level2.syntaxLength == 32768)
        #expect(level2.definition.equality == "caseExactMatch" && level2.definition.syntax == nil)
        let name = try #require(schema.resolvedAttributeType(named: "name"))
        #expect(name.superiorOIDs.isEmpty && name.ordering == nil)
    }

    @Test func subtypesAreTransitive() throws {
        let schema = try buildSchema(Self.chain)
        #expect(schema.subtypes(of: "name")?.map(\.primaryName) == ["level1", "level2", "level3", "level4", "sibling"])
        #expect(schema.subtypes(of: "level2")?.map(\.primaryName) == ["level3", "level4"])
        #expect(schema.subtypes(of: "level4")?.isEmpty == true)
        #expect(schema.subtypes(of: "ghost") == nil)
        #expect(schema.isAttributeType("level4", subtypeOf: "NAME"))
        #expect(schema.isAttributeType("level4", subtypeOf: "level4"))
        #expect(!schema.isAttributeType("sibling", subtypeOf: "level1"))
        #expect(!schema.isAttributeType("name", subtypeOf: "level1"))
        #expect(!schema.isAttributeType("ghost", subtypeOf: "name"))
    }

    @Test func attributeSuperiorCyclesAreRefused() {
        let error = schemaError(baseSchema, """
            attributetype ( 1.2.1 NAME 'a' SUP c )
            attributetype ( 1.2.2 NAME 'b' SUP a )
            attributetype ( 1.2.3 NAME 'c' SUP b )
            """)
        #expect(error == SchemaError(.superiorChainCycle(["a", "c", "b", "a"]),
                                     at: SchemaSourceLocation(file: "b.schema", line: 1)))
        let selfCycle = schemaError(baseSchema, "attributetype ( 1.2.1 NAME 'me' SUP me )")
        #expect(selfCycle?.problem == .superiorChainCycle(["me", "me"]))
    }

    @Test func validateReferencesReportsUnknownRulesAndSyntaxes() throws {
        let schema = try buildSchema(Self.chain)
        let rules: Set<String> = ["objectidentifiermatch", "caseIgnoreMatch", "caseIgnoreSubstringsMatch",
                                  "caseIgnoreOrderingMatch", "caseExactMatch", "booleanMatch"]
        let syntaxes: Set<String> = ["1.3.6.1.4.1.1466.115.121.1.38", "1.3.6.1.4.1.1466.115.121.1.15",
                                     "1.3.6.1.4.1.1466.115.121.1.44", "1.3.6.1.4.1.1466.115.121.1.7"]
        #expect(schema.validateReferences(knownMatchingRules: rules, knownSyntaxes: syntaxes).isEmpty)
        let errors = schema.validateReferences(
            knownMatchingRules: rules.subtracting(["caseExactMatch"]),
            knownSyntaxes: syntaxes.subtracting(["1.3.6.1.4.1.1466.115.121.1.7"])
        )
        #expect(errors == [
            SchemaError(.unknownMatchingRule("caseExactMatch", of: "level2"),
                        at: SchemaSourceLocation(file: "a.schema", line: 6)),
            SchemaError(.unknownSyntax("1.3.6.1.4.1.1466.115.121.1.7", of: "unrelated"),
                        at: SchemaSourceLocation(file: "a.schema", line: 10)),
        ])
        #expect(errors[0].description.hasPrefix("a.schema:6: attribute type 'level2' refers to matching rule"))
    }

    @Test func emptySchema() {
        let schema = Schema()
        #expect(schema.attributeTypes.isEmpty && schema.objectClasses.isEmpty)
        #expect(schema.attributeType(named: "cn") == nil)
        #expect(schema.subtypes(of: "name") == nil)
    }

    // MARK: - Round trip: definition → RFC 4512 description → definition

    @Test func randomAttributeTypesRoundTrip() throws {
        var generator = DefinitionGenerator(seed: 0x5EED_4512)
        for _ in 0..<500 {
            let type = generator.attributeType()
            let text = type.rfc4512Description
            let parsed = try AttributeTypeDefinition(rfc4512Description: text)
            #expect(parsed == type, "\(text)")
            #expect(parsed.rfc4512Description == text)
        }
    }

    @Test func randomObjectClassesRoundTrip() throws {
        var generator = DefinitionGenerator(seed: 0xC1A55)
        for _ in 0..<500 {
            let objectClass = generator.objectClass()
            let text = objectClass.rfc4512Description
            let parsed = try ObjectClassDefinition(rfc4512Description: text)
            #expect(parsed == objectClass, "\(text)")
        }
    }

    @Test func randomDefinitionsRoundTripThroughASchemaFile() throws {
        var generator = DefinitionGenerator(seed: 42)
        let types = (0..<50).map { index in
            var type = generator.attributeType()
            type.oid = "1.9.\(index)"
            type.names = ["gen\(index)"]
            type.superior = nil
            type.syntax = type.syntax ?? "1.2.3"
            type.usage = .directoryOperation
            type.isCollective = false
            return type
        }
        let text = types.map { "attributetype " + $0.rfc4512Description }.joined(separator: "\n")
        let schema = try buildSchema(text)
        #expect(schema.attributeTypes == types)
    }
}

/// A small deterministic generator (SplitMix64) of valid definitions.
struct DefinitionGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    private mutating func bool() -> Bool { next() & 1 == 1 }

    private mutating func maybe<T>(_ make: (inout Self) -> T) -> T? {
        bool() ? make(&self) : nil
    }

    mutating func numericOID() -> String {
        let first = int(0...2)
        let rest = (0..<int(1...6)).map { _ in String(int(0...3) == 0 ? int(0...9) : int(10...999_999)) }
        return ([String(first)] + rest).joined(separator: ".")
    }

    mutating func descriptor() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let others = letters + Array("0123456789-")
        return String(letters[int(0...letters.count - 1)])
            + String((0..<int(0...12)).map { _ in others[int(0...others.count - 1)] })
    }

    mutating func oid() -> String { bool() ? descriptor() : numericOID() }

    mutating func oids() -> [String] { (0..<int(0...4)).map { _ in oid() } }

    mutating func text() -> String {
        let pieces: [Character] = Array("aé ()$'\\{}#\tzÉ€日本-_.:0") + ["\u{1F600}"]
        return String((0..<int(1...20)).map { _ in pieces[int(0...pieces.count - 1)] })
    }

    mutating func extensions() -> [SchemaExtension] {
        (0..<int(0...2)).map { _ in
            SchemaExtension(name: "X-" + descriptor().uppercased(), values: (0..<int(0...3)).map { _ in text() })
        }
    }

    mutating func attributeType() -> AttributeTypeDefinition {
        AttributeTypeDefinition(
            oid: numericOID(),
            names: (0..<int(0...3)).map { _ in descriptor() },
            descriptionText: maybe { $0.text() },
            isObsolete: bool(),
            superior: maybe { $0.oid() },
            equality: maybe { $0.oid() },
            ordering: maybe { $0.oid() },
            substring: maybe { $0.oid() },
            syntax: maybe { $0.numericOID() },
            syntaxLength: nil,
            isSingleValued: bool(),
            isCollective: bool(),
            isNoUserModification: bool(),
            usage: AttributeUsage.allCases[int(0...3)],
            extensions: extensions()
        )
        .withLength(bool() ? int(0...100_000) : nil)
    }

    mutating func objectClass() -> ObjectClassDefinition {
        ObjectClassDefinition(
            oid: numericOID(),
            names: (0..<int(0...3)).map { _ in descriptor() },
            descriptionText: maybe { $0.text() },
            isObsolete: bool(),
            superiors: oids(),
            kind: ObjectClassKind.allCases[int(0...2)],
            mustAttributes: oids(),
            mayAttributes: oids(),
            extensions: extensions()
        )
    }
}

extension AttributeTypeDefinition {
    /// A length goes with a syntax only.
    fileprivate func withLength(_ length: Int?) -> Self {
        var copy = self
        copy.syntaxLength = syntax == nil ? nil : length
        return copy
    }
}

import Foundation
import Schema
import Testing

/// Builds a schema from in-memory files named `a.schema`, `b.schema`…
func buildSchema(_ texts: String...) throws(SchemaError) -> Schema {
    let names = ["a.schema", "b.schema", "c.schema"]
    return try Schema(sources: texts.enumerated().map { SchemaSource(name: names[$0.offset], text: $0.element) })
}

/// The error building a schema from `texts` throws, or nil.
func schemaError(_ texts: String...) -> SchemaError? {
    let names = ["a.schema", "b.schema", "c.schema"]
    do {
        _ = try Schema(sources: texts.enumerated().map { SchemaSource(name: names[$0.offset], text: $0.element) })
        return nil
    } catch {
        return error
    }
}

/// A minimal base: top, objectClass and a name type with a syntax.
let baseSchema = """
    attributetype ( 2.5.4.0 NAME 'objectClass' EQUALITY objectIdentifierMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.38 )
    attributetype ( 2.5.4.41 NAME 'name' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
      SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{32768} )
    objectclass ( 2.5.6.0 NAME 'top' ABSTRACT MUST objectClass )
    """

@Suite("Schema file parser")
struct SchemaParserTests {
    @Test func macrosExpandInDefinitionOIDsSyntaxesAndReferences() throws {
        let schema = try buildSchema(baseSchema, """
            objectidentifier Root 1.3.6.1.4.1.99999
            objectidentifier Attr Root:1
            objectIdentifier CLASSES Root:2
            objectidentifier DirectoryString 1.3.6.1.4.1.1466.115.121.1.15
            attributetype ( Attr:1 NAME 'first' SYNTAX DirectoryString{64} )
            attributetype ( Attr:2 NAME 'second' SUP Attr:1 )
            objectclass ( Classes:7 NAME 'thing' SUP top MUST ( first $ Attr:2 ) )
            objectclass ( Root NAME 'rootThing' SUP top )
            """)
        let first = try #require(schema.attributeType(named: "first"))
        #expect(first.oid == "1.3.6.1.4.1.99999.1.1")
        #expect(first.syntax == "1.3.6.1.4.1.1466.115.121.1.15" && first.syntaxLength == 64)
        #expect(schema.attributeType(named: "second")?.superior == "1.3.6.1.4.1.99999.1.1")
        #expect(schema.resolvedAttributeType(named: "second")?.syntaxLength == 64)
        let thing = try #require(schema.objectClass(named: "thing"))
        #expect(thing.oid == "1.3.6.1.4.1.99999.2.7")
        #expect(thing.mustAttributes == ["first", "1.3.6.1.4.1.99999.1.2"])
        #expect(schema.requiredAttributes(of: "thing")?.map(\.primaryName) == ["first", "second", "objectClass"])
        #expect(schema.objectClass(named: "rootThing")?.oid == "1.3.6.1.4.1.99999")
    }

    @Test func macrosCarryOverToLaterFiles() throws {
        let schema = try buildSchema(
            baseSchema + "\nobjectidentifier Mine 1.2.3.4",
            "attributetype ( Mine:5 NAME 'later' SUP name )"
        )
        #expect(schema.attributeType(named: "later")?.oid == "1.2.3.4.5")
        #expect(schema.location(ofAttributeType: "later") == SchemaSourceLocation(file: "b.schema", line: 1))
    }

    @Test func continuationLinesCommentsAndBlankLines() throws {
        let text = """
            # a comment
            \(baseSchema)

            attributetype ( 1.2.3.1
            \tNAME ( 'spread'
            # a comment between continuation lines
                'spreadAlias' )

              DESC 'a description
             split over lines'
            \tSUP name )
            attributetype ( 1.2.3.2 NAME 'next' SUP name )
            """
        let schema = try buildSchema(text)
        let spread = try #require(schema.attributeType(named: "SPREADALIAS"))
        #expect(spread.names == ["spread", "spreadAlias"])
        #expect(spread.descriptionText == "a description  split over lines")
        #expect(schema.location(ofAttributeType: "spread")?.line == 7)
        #expect(schema.location(ofAttributeType: "next")?.line == 15)
    }

    @Test func windowsLineEndingsAreAccepted() throws {
        let schema = try buildSchema(baseSchema.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(schema.attributeType(named: "name")?.syntaxLength == 32768)
    }

    @Test func keywordsAreCaseInsensitiveAndListsFlexible() throws {
        let schema = try buildSchema(baseSchema, """
            AttributeType ( 1.2.3.1 name 'a' sup name single-value usage userapplications )
            attributetype ( 1.2.3.2 NAME a2 DESC 'unquoted name is accepted' SUP 'name' )
            ObjectClass ( 1.2.3.3 Name ( 'c1' 'c2' ) Sup top Auxiliary Must(a$a2) May ( name$'objectClass' ) )
            """)
        let a = try #require(schema.attributeType(named: "a"))
        #expect(a.isSingleValued && a.superior == "name")
        #expect(schema.attributeType(named: "a2")?.superior == "name")
        let c = try #require(schema.objectClass(named: "c2"))
        #expect(c.kind == .auxiliary && c.mustAttributes == ["a", "a2"] && c.mayAttributes == ["name", "objectClass"])
    }

    @Test func everyAttributeTypeFieldIsRead() throws {
        let type = try AttributeTypeDefinition(rfc4512Description: """
            ( 1.2.3.4 NAME ( 'x' 'y' ) DESC 'it\\27s a \\5C test' OBSOLETE SUP name EQUALITY caseExactMatch
              ORDERING caseExactOrderingMatch SUBSTR caseExactSubstringsMatch
              SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{128} SINGLE-VALUE COLLECTIVE
              X-ORDERED 'VALUES' X-ORIGIN ( 'RFC 1' 'RFC 2' ) X-EMPTY ( ) )
            """)
        #expect(type == AttributeTypeDefinition(
            oid: "1.2.3.4", names: ["x", "y"], descriptionText: "it's a \\ test", isObsolete: true,
            superior: "name", equality: "caseExactMatch", ordering: "caseExactOrderingMatch",
            substring: "caseExactSubstringsMatch", syntax: "1.3.6.1.4.1.1466.115.121.1.15", syntaxLength: 128,
            isSingleValued: true, isCollective: true, isNoUserModification: false, usage: .userApplications,
            extensions: [
                SchemaExtension(name: "X-ORDERED", values: ["VALUES"]),
                SchemaExtension(name: "X-ORIGIN", values: ["RFC 1", "RFC 2"]),
                SchemaExtension(name: "X-EMPTY", values: []),
            ]
        ))
        #expect(type.extensionValues("x-ordered") == ["VALUES"])
        #expect(type.rfc4512Description == "( 1.2.3.4 NAME ( 'x' 'y' ) DESC 'it\\27s a \\5C test' OBSOLETE SUP name "
            + "EQUALITY caseExactMatch ORDERING caseExactOrderingMatch SUBSTR caseExactSubstringsMatch "
            + "SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{128} SINGLE-VALUE COLLECTIVE "
            + "X-ORDERED 'VALUES' X-ORIGIN ( 'RFC 1' 'RFC 2' ) X-EMPTY ( ) )")
    }

    @Test func operationalUsagesAreRead() throws {
        for usage in AttributeUsage.allCases where usage != .userApplications {
            let type = try AttributeTypeDefinition(rfc4512Description:
                "( 1.2.3 SYNTAX 1.2.4 NO-USER-MODIFICATION USAGE \(usage.rawValue) )")
            #expect(type.usage == usage && type.isOperational && type.isNoUserModification)
            #expect(type.primaryName == "1.2.3")
        }
    }

    @Test func objectClassDescriptionIsPrintedInRFCOrder() throws {
        let objectClass = ObjectClassDefinition(
            oid: "1.2.3", names: ["thing"], descriptionText: "d", isObsolete: true, superiors: ["top", "other"],
            kind: .auxiliary, mustAttributes: ["cn"], mayAttributes: ["sn", "o"],
            extensions: [SchemaExtension(name: "X-ORIGIN", values: ["here"])]
        )
        #expect(objectClass.rfc4512Description
            == "( 1.2.3 NAME 'thing' DESC 'd' OBSOLETE SUP ( top $ other ) AUXILIARY MUST cn MAY ( sn $ o ) "
            + "X-ORIGIN 'here' )")
        #expect(try ObjectClassDefinition(rfc4512Description: objectClass.rfc4512Description) == objectClass)
        #expect(try ObjectClassDefinition(rfc4512Description: "( 1.2.3 )").kind == .structural)
    }

    // MARK: - Errors, each with its file and line

    typealias Problem = SchemaError.Problem

    static let syntaxErrorCases: [(text: String, line: Int, problem: Problem)] = [
        ("\n\nattributtype ( 1.2.3 SYNTAX 1.2.4 )", 3, .unknownStatement("attributtype")),
        ("( 1.2.3 )", 1, .unknownStatement("(")),
        ("attributetype ( 1.2.3\n  EQUALTY caseIgnoreMatch SYNTAX 1.2.4 )", 2,
         .unknownKeyword("EQUALTY", definition: "attributetype")),
        ("objectclass ( 1.2.3 SYNTAX 1.2.4 )", 1, .unknownKeyword("SYNTAX", definition: "objectclass")),
        ("attributetype ( 1.2.3 NAME 'a'\n NAME 'b' SYNTAX 1.2.4 )", 2,
         .duplicateKeyword("NAME", definition: "attributetype")),
        ("objectclass ( 1.2.3 STRUCTURAL AUXILIARY )", 1, .duplicateKeyword("AUXILIARY", definition: "objectclass")),
        ("attributetype ( 1.2.3 NAME 'a'\n SYNTAX 1.2.4", 2,
         .unbalancedParenthesis("missing ')' for the '(' on line 1 (expected a keyword or ')')")),
        ("objectclass ( 1.2.3 MUST ( a $ b )", 1,
         .unbalancedParenthesis("missing ')' for the '(' on line 1 (expected a keyword or ')')")),
        ("objectclass ( 1.2.3 MUST ( a $ b\n )", 2,
         .unbalancedParenthesis("missing ')' for the '(' on line 1 (expected a keyword or ')')")),
        ("attributetype ( 1.2.3 SYNTAX 1.2.4 ) )", 1, .unbalancedParenthesis("')' without a matching '('")),
        ("attributetype ) 1.2.3 SYNTAX 1.2.4 )", 1, .unbalancedParenthesis("')' without a matching '('")),
        ("attributetype ( 1.2.3\n DESC 'never closed SYNTAX 1.2.4 )", 2, .unterminatedString),
        ("attributetype ( 1.2.3 DESC unquoted SYNTAX 1.2.4 )", 1,
         .unexpectedToken(found: "unquoted", expected: "a quoted string")),
        ("objectclass ( 1.2.3 MUST ( a b ) )", 1, .unexpectedToken(found: "b", expected: "'$' or ')' in the list")),
        ("attributetype ( 1.2.3 'quoted' SYNTAX 1.2.4 )", 1,
         .unexpectedToken(found: "'quoted'", expected: "a keyword or ')'")),
        ("attributetype 1.2.3 SYNTAX 1.2.4", 1,
         .unexpectedToken(found: "1.2.3", expected: "'(' opening the attributetype description")),
        ("attributetype", 1, .unexpectedEnd(expected: "'(' opening the attributetype description")),
        ("attributetype (", 1, .unexpectedEnd(expected: "the numeric OID")),
        ("attributetype ( 1.2.3 SYNTAX 1.2.4 ) extra words", 1, .trailingText("extra words")),
        ("attributetype ( 1.02.3 SYNTAX 1.2.4 )", 1, .invalidNumericOID("1.02.3")),
        ("attributetype ( 1..3 SYNTAX 1.2.4 )", 1, .invalidNumericOID("1..3")),
        ("attributetype ( 1.2.3 SYNTAX caseIgnore_Match )", 1, .invalidNumericOID("caseIgnore_Match")),
        ("attributetype ( 1.2.3 NAME '1abc' SYNTAX 1.2.4 )", 1, .invalidDescriptor("1abc")),
        ("attributetype ( 1.2.3 NAME ( 'ok' 'not_ok' ) SYNTAX 1.2.4 )", 1, .invalidDescriptor("not_ok")),
        ("attributetype ( 1.2.3 SUP bad_name )", 1, .invalidOID("bad_name")),
        ("attributetype ( 1.2.3 SYNTAX 1.2.4{abc} )", 1, .invalidSyntaxLength("{abc}")),
        ("attributetype ( 1.2.3 SYNTAX 1.2.4{12 )", 1, .invalidSyntaxLength("{12")),
        ("attributetype ( 1.2.3 SYNTAX 1.2.4 USAGE everybody )", 1, .invalidUsage("everybody")),
        ("objectidentifier OnlyAName", 1, .malformedObjectIdentifier("OnlyAName")),
        ("objectidentifier Bad_Name 1.2.3", 1, .invalidDescriptor("Bad_Name")),
        ("objectidentifier Good notAnOID.5", 1, .invalidNumericOID("notAnOID.5")),
        ("\nattributetype ( Unknown:1 SYNTAX 1.2.4 )", 2, .undefinedMacro("Unknown")),
        ("attributetype ( UnknownBare SYNTAX 1.2.4 )", 1, .undefinedMacro("UnknownBare")),
        ("attributetype ( 1.2.3 SUP Nowhere:4 )", 1, .undefinedMacro("Nowhere")),
        ("objectidentifier M 1.2\nattributetype ( M:x SYNTAX 1.2.4 )", 2, .invalidNumericOID("M:x")),
        ("objectidentifier M 1.2\n\nobjectidentifier M 1.3", 3,
         .duplicateMacro("M", previous: SchemaSourceLocation(file: "a.schema", line: 1))),
    ]

    @Test("syntax errors name the file, the line and the problem", arguments: syntaxErrorCases.indices)
    func syntaxError(_ index: Int) {
        let testCase = Self.syntaxErrorCases[index]
        let error = schemaError(testCase.text)
        #expect(error == SchemaError(testCase.problem, at: SchemaSourceLocation(file: "a.schema", line: testCase.line)))
    }

    @Test func identicalMacroRedefinitionIsAccepted() throws {
        let schema = try buildSchema("objectidentifier M 1.2\nobjectidentifier M 1.2\nattributetype ( M:1 SYNTAX 1.5 )")
        #expect(schema.attributeType(named: "1.2.1") != nil)
    }

    static let registryErrorCases: [(texts: [String], file: String, line: Int, problem: Problem)] = [
        ([baseSchema, "\nattributetype ( 2.5.4.41 NAME 'other' SUP name )"], "b.schema", 2,
         .duplicateOID("2.5.4.41", previous: SchemaSourceLocation(file: "a.schema", line: 2))),
        ([baseSchema, "objectclass ( 2.5.4.0 NAME 'clash' SUP top )"], "b.schema", 1,
         .duplicateOID("2.5.4.0", previous: SchemaSourceLocation(file: "a.schema", line: 1))),
        ([baseSchema, "attributetype ( 1.2.3 NAME ( 'fresh' 'NAME' ) SUP name )"], "b.schema", 1,
         .duplicateName("NAME", previous: SchemaSourceLocation(file: "a.schema", line: 2))),
        ([baseSchema, "objectclass ( 1.2.3 NAME 'Top' ABSTRACT )"], "b.schema", 1,
         .duplicateName("Top", previous: SchemaSourceLocation(file: "a.schema", line: 4))),
        ([baseSchema + "\nattributetype ( 1.2.3 NAME 'orphan' SUP nothing )"], "a.schema", 5,
         .unknownSuperiorAttributeType("nothing", of: "orphan")),
        ([baseSchema, "objectclass ( 1.2.3 NAME 'orphan' SUP ( top $ nothing ) )"], "b.schema", 1,
         .unknownSuperiorObjectClass("nothing", of: "orphan")),
        ([baseSchema, "attributetype ( 1.2.3 NAME 'bare' EQUALITY caseIgnoreMatch )"], "b.schema", 1,
         .missingSyntax("bare")),
        ([baseSchema, "objectclass ( 1.2.3 NAME 'c' SUP top MUST ( objectClass $ missing ) )"], "b.schema", 1,
         .unknownAttributeType("missing", in: "MUST", of: "c")),
        ([baseSchema, "objectclass ( 1.2.3 NAME 'c' SUP top MAY missing )"], "b.schema", 1,
         .unknownAttributeType("missing", in: "MAY", of: "c")),
        ([baseSchema, "objectclass ( 1.2.1 NAME 'aux' SUP top AUXILIARY )\nobjectclass ( 1.2.2 NAME 's' SUP aux )"],
         "b.schema", 2,
         .incompatibleSuperclassKind(objectClass: "s", kind: .structural, superior: "aux", superiorKind: .auxiliary)),
        ([baseSchema, "objectclass ( 1.2.1 NAME 's' SUP top )\nobjectclass ( 1.2.2 NAME 'aux' SUP s AUXILIARY )"],
         "b.schema", 2,
         .incompatibleSuperclassKind(objectClass: "aux", kind: .auxiliary, superior: "s", superiorKind: .structural)),
        ([baseSchema, "objectclass ( 1.2.1 NAME 's' SUP top )\nobjectclass ( 1.2.2 NAME 'abs' SUP s ABSTRACT )"],
         "b.schema", 2,
         .incompatibleSuperclassKind(objectClass: "abs", kind: .abstract, superior: "s", superiorKind: .structural)),
        ([baseSchema, "attributetype ( 1.2.3 NAME 'op' SUP name USAGE directoryOperation )"], "b.schema", 1,
         .usageDiffersFromSuperior("op", usage: .directoryOperation, superior: "name",
                                   superiorUsage: .userApplications)),
        ([baseSchema, "attributetype ( 1.2.3 NAME 'col' SYNTAX 1.2.4 COLLECTIVE USAGE dSAOperation )"], "b.schema", 1,
         .collectiveOperational("col")),
        ([baseSchema, "attributetype ( 1.2.3 NAME 'num' SYNTAX 1.2.4 NO-USER-MODIFICATION )"], "b.schema", 1,
         .noUserModificationOnUserAttribute("num")),
    ]

    @Test("registry errors name the file, the line and the problem", arguments: registryErrorCases.indices)
    func registryError(_ index: Int) {
        let testCase = Self.registryErrorCases[index]
        let sources = testCase.texts.enumerated().map {
            SchemaSource(name: ["a.schema", "b.schema"][$0.offset], text: $0.element)
        }
        var thrown: SchemaError?
        do { _ = try Schema(sources: sources) } catch { thrown = error }
        let location = SchemaSourceLocation(file: testCase.file, line: testCase.line)
        #expect(thrown == SchemaError(testCase.problem, at: location))
    }

    @Test func errorDescriptionIsFileLineMessage() {
        let error = schemaError(baseSchema, "\n\nattributetype ( 1.2.3 NAME 'x' SUP nope )")
        #expect(error?.description
            == "b.schema:3: attribute type 'x' has SUP 'nope', which is not a defined attribute type")
        #expect(error?.file == "b.schema" && error?.line == 3)
    }

    @Test func unreadableAndNonUTF8FilesAreReported() throws {
        let missing = "/nonexistent/dir/nothing.schema"
        var thrown: SchemaError?
        do { _ = try Schema(files: [missing]) } catch { thrown = error }
        #expect(thrown?.file == missing)
        if case .unreadableFile = thrown?.problem {} else {
            Issue.record("expected unreadableFile, got \(String(describing: thrown))")
        }

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID()).schema").path
        try Data([0x23, 0x20, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        thrown = nil
        do { _ = try Schema(files: [path]) } catch { thrown = error }
        #expect(thrown == SchemaError(.invalidUTF8, at: SchemaSourceLocation(file: path, line: 0)))
    }

    @Test func standaloneDescriptionErrorsUseTheSourceLabel() {
        var thrown: SchemaError?
        do { _ = try AttributeTypeDefinition(rfc4512Description: "( 1.2.3\nBOGUS )", source: "attributeTypes value") }
        catch { thrown = error }
        #expect(thrown == SchemaError(.unknownKeyword("BOGUS", definition: "attributetype"),
                                      at: SchemaSourceLocation(file: "attributeTypes value", line: 2)))
    }
}

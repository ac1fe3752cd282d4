import Schema
import Testing

@Suite("Object classes")
struct ObjectClassTests {
    /// A diamond: `both` derives from `left` and `right`, which both derive from `middle`.
    static let diamond = baseSchema + """

        attributetype ( 1.2.1 NAME 'a1' SUP name )
        attributetype ( 1.2.2 NAME 'a2' SUP name )
        attributetype ( 1.2.3 NAME 'a3' SUP name )
        attributetype ( 1.2.4 NAME 'a4' SUP name )
        objectclass ( 1.3.1 NAME 'middle' SUP top ABSTRACT MUST a1 MAY ( a2 $ a3 ) )
        objectclass ( 1.3.2 NAME 'left' SUP middle STRUCTURAL MAY ( a4 $ a1 ) )
        objectclass ( 1.3.3 NAME 'right' SUP middle MUST a2 )
        objectclass ( 1.3.4 NAME 'both' SUP ( left $ right ) MAY name )
        objectclass ( 1.3.5 NAME 'addOn' SUP top AUXILIARY MAY a4 )
        objectclass ( 1.3.6 NAME 'moreAddOn' SUP addOn AUXILIARY MUST a3 )
        objectclass ( 1.3.7 NAME 'standalone' MUST a1 )
        """

    @Test func kindsAndTheStructuralDefault() throws {
        let schema = try buildSchema(Self.diamond)
        #expect(schema.objectClass(named: "middle")?.kind == .abstract)
        #expect(schema.objectClass(named: "left")?.kind == .structural)
        #expect(schema.objectClass(named: "right")?.kind == .structural)
        #expect(schema.objectClass(named: "addOn")?.kind == .auxiliary)
        #expect(schema.objectClass(named: "standalone")?.superiors == [])
    }

    @Test func superclassesAreBreadthFirstAndDeduplicated() throws {
        let schema = try buildSchema(Self.diamond)
        #expect(schema.superclasses(of: "both")?.map(\.primaryName) == ["left", "right", "middle", "top"])
        #expect(schema.superclasses(of: "1.3.6")?.map(\.primaryName) == ["addOn", "top"])
        #expect(schema.superclasses(of: "top")?.isEmpty == true)
        #expect(schema.superclasses(of: "standalone")?.isEmpty == true)
        #expect(schema.superclasses(of: "unknown") == nil)
    }

    @Test func requiredAttributesIncludeInheritedOnes() throws {
        let schema = try buildSchema(Self.diamond)
        #expect(schema.requiredAttributes(of: "both")?.map(\.primaryName) == ["a2", "a1", "objectClass"])
        #expect(schema.requiredAttributes(of: "moreAddOn")?.map(\.primaryName) == ["a3", "objectClass"])
        #expect(schema.requiredAttributes(of: "standalone")?.map(\.primaryName) == ["a1"])
        #expect(schema.requiredAttributes(of: "nothing") == nil)
    }

    @Test func optionalAttributesLeaveOutRequiredOnes() throws {
        let schema = try buildSchema(Self.diamond)
        // a1 is in left's MAY but middle's MUST; a2 is in middle's MAY but right's MUST.
        #expect(schema.optionalAttributes(of: "both")?.map(\.primaryName) == ["name", "a4", "a3"])
        #expect(schema.optionalAttributes(of: "left")?.map(\.primaryName) == ["a4", "a2", "a3"])
        #expect(schema.optionalAttributes(of: "moreAddOn")?.map(\.primaryName) == ["a4"])
        #expect(schema.optionalAttributes(of: "nothing") == nil)
    }

    @Test func subclassTests() throws {
        let schema = try buildSchema(Self.diamond)
        #expect(schema.isObjectClass("both", subclassOf: "middle"))
        #expect(schema.isObjectClass("BOTH", subclassOf: "2.5.6.0"))
        #expect(schema.isObjectClass("left", subclassOf: "left"))
        #expect(!schema.isObjectClass("left", subclassOf: "right"))
        #expect(!schema.isObjectClass("middle", subclassOf: "both"))
        #expect(!schema.isObjectClass("ghost", subclassOf: "top"))
    }

    @Test func superclassCyclesAreRefusedWithTheirPath() {
        let error = schemaError(baseSchema, """
            objectclass ( 1.3.1 NAME 'x' SUP top ABSTRACT )
            objectclass ( 1.3.2 NAME 'p' SUP ( x $ r ) ABSTRACT )
            objectclass ( 1.3.3 NAME 'q' SUP p ABSTRACT )
            objectclass ( 1.3.4 NAME 'r' SUP q ABSTRACT )
            """)
        #expect(error == SchemaError(.superiorChainCycle(["p", "r", "q", "p"]),
                                     at: SchemaSourceLocation(file: "b.schema", line: 2)))
    }

    @Test func aClassThatIsItsOwnSuperclassIsACycle() {
        let error = schemaError(baseSchema, "\nobjectclass ( 1.3.1 NAME 'self' SUP self )")
        #expect(error == SchemaError(.superiorChainCycle(["self", "self"]),
                                     at: SchemaSourceLocation(file: "b.schema", line: 2)))
    }

    @Test func forwardReferencesToLaterClassesAreResolved() throws {
        let schema = try buildSchema(
            baseSchema + "\nobjectclass ( 1.3.2 NAME 'child' SUP parent MUST later )",
            "attributetype ( 1.2.9 NAME 'later' SUP name )\nobjectclass ( 1.3.1 NAME 'parent' SUP top )"
        )
        #expect(schema.superclasses(of: "child")?.map(\.primaryName) == ["parent", "top"])
        #expect(schema.location(ofObjectClass: "parent") == SchemaSourceLocation(file: "b.schema", line: 2))
    }
}

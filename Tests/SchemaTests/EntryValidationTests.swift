import LDAPProtocol
import Schema
import Testing

/// The shipped schema resolved into a context, built once for the validation and evaluation tests.
enum ShippedContext {
    private static let built = Result { () throws -> SchemaContext in SchemaContext(schema: try ShippedSchema.load()) }

    static func get() throws -> SchemaContext { try built.get() }
}

/// An entry from a DN string and `(description, values)` pairs.
func makeEntry(_ dn: String, _ attributes: [(String, [String])]) throws -> Entry {
    Entry(dn: try DistinguishedName(dn), attributes: attributes.map { EntryAttribute($0.0, $0.1) })
}

@Suite("Schema context")
struct SchemaContextTests {
    @Test func namesAndOIDsAreInterchangeable() throws {
        let context = try ShippedContext.get()
        let cn = try #require(context.attributeType(named: "cn"))
        #expect(context.attributeType(named: "2.5.4.3")?.id == cn.id)
        #expect(context.attributeType(named: "commonName")?.id == cn.id)
        #expect(context.attributeType(named: "COMMONNAME")?.id == cn.id)
        #expect(cn.oid == "2.5.4.3")
        #expect(cn.primaryName == "cn")
        #expect(context.attributeType(named: "noSuchType") == nil)
        #expect(context.objectClass(named: "2.5.6.6")?.primaryName == "person")
    }

    @Test func rulesAndSyntaxAreInheritedAndResolved() throws {
        let context = try ShippedContext.get()
        let cn = try #require(context.attributeType(named: "cn"))
        #expect(cn.equality?.oid == "2.5.13.2")
        #expect(cn.substring?.name == "caseIgnoreSubstringsMatch")
        #expect(cn.ordering == nil)
        #expect(cn.syntax?.description == "Directory String")
        #expect(!cn.isSingleValued)
        #expect(cn.usage == .userApplications)
        let name = try #require(context.attributeType(named: "name"))
        #expect(cn.isSubtype(of: name.id))
        #expect(!name.isSubtype(of: cn.id))

        let created = try #require(context.attributeType(named: "createTimestamp"))
        #expect(created.ordering?.name == "generalizedTimeOrderingMatch")
        #expect(created.isSingleValued && created.isNoUserModification && created.isOperational)
        #expect(created.usage == .directoryOperation)

        let civility = try #require(context.attributeType(named: "aspasieCivility"))
        #expect(civility.syntaxLength == 16)
        #expect(context.attributeType(named: "dc")?.isSingleValued == true)
    }

    @Test func objectClassesCarryInheritedLists() throws {
        let context = try ShippedContext.get()
        let person = try #require(context.objectClass(named: "inetOrgPerson"))
        #expect(person.kind == .structural)
        #expect(
            person.superclasses.map { context.objectClasses[$0].primaryName } == [
                "organizationalPerson", "person", "top",
            ])
        let required = Set(person.required.map { context.attributeTypes[$0].primaryName })
        #expect(required == ["sn", "cn", "objectClass"])
        let mail = try #require(context.attributeType(named: "mail"))
        #expect(person.allowed.contains(mail.id))
    }

    @Test func ruleOnlyExtensibleMatchTargets() throws {
        let context = try ShippedContext.get()
        let caseExact = try #require(context.matchingRules["caseExactMatch"])
        let names = Set(context.attributeTypes(matchableBy: caseExact).map(\.primaryName))
        #expect(names.isSuperset(of: ["cn", "sn", "description", "mail", "dc"]))
        #expect(!names.contains("createTimestamp"))
        let integerOrdering = try #require(context.matchingRules["integerOrderingMatch"])
        #expect(context.attributeTypes(matchableBy: integerOrdering).contains { $0.primaryName == "pwdMinLength" })
    }
}

@Suite("Entry validation")
struct EntryValidationTests {
    static let babsDN = "cn=Babs Jensen,ou=People,dc=example,dc=com"

    /// A valid inetOrgPerson that lists only its most specific class.
    static func babs(_ extra: [(String, [String])] = [], without: Set<String> = []) throws -> Entry {
        let base: [(String, [String])] = [
            ("objectClass", ["inetOrgPerson"]),
            ("cn", ["Babs Jensen", "Barbara Jensen"]),
            ("sn", ["Jensen"]),
            ("givenName", ["Barbara"]),
            ("mail", ["bjensen@example.com"]),
            ("telephoneNumber", ["+1 408 555 1212"]),
        ]
        return try makeEntry(babsDN, base.filter { !without.contains($0.0) } + extra)
    }

    private func violationOf(_ entry: Entry, options: EntryValidationOptions = .clientWrite) throws -> EntryViolation {
        let context = try ShippedContext.get()
        return try #require(context.validate(entry, options: options))
    }

    // MARK: - Valid entries

    @Test func inetOrgPersonListingOnlyItsClassIsValid() throws {
        let context = try ShippedContext.get()
        let entry = try Self.babs()
        #expect(context.validate(entry) == nil)
        #expect(try context.structuralObjectClass(of: entry).primaryName == "inetOrgPerson")
    }

    @Test func fullChainByNameAndOIDIsValid() throws {
        let context = try ShippedContext.get()
        let entry = try Self.babs(
            [("objectClass", ["top", "2.5.6.6", "ORGANIZATIONALPERSON"])], without: ["objectClass"]
        )
        .adding("objectClass", ["inetOrgPerson"])
        #expect(context.validate(entry) == nil)
    }

    @Test func auxiliaryClassesAreAllowed() throws {
        let context = try ShippedContext.get()
        let entry = try makeEntry(
            "aspasieIdentifier=jdupont-xt,ou=People,dc=example,dc=com",
            [
                ("objectClass", ["top", "inetOrgPerson", "aspasiePerson"]),
                ("cn", ["Jean Dupont"]), ("sn", ["Dupont"]), ("mail", ["jean.dupont@example.fr"]),
                ("aspasieIdentifier", ["jdupont-xt"]), ("aspasieCivility", ["M."]),
                ("aspasiePopulation", ["SSLEPN"]), ("aspasieCodique", ["0750100"]),
            ])
        #expect(context.validate(entry) == nil)
        // The auxiliary class's MUST applies.
        let missing = try violationOf(entry.removing("aspasieCodique"))
        #expect(
            missing.description
                == "objectClassViolation: object class 'aspasiePerson' requires attribute 'aspasieCodique'")
        // Without the auxiliary class, its attributes are not allowed.
        var plain = entry
        plain.attributes[0] = EntryAttribute("objectClass", ["inetOrgPerson"])
        let notAllowed = try violationOf(plain)
        #expect(notAllowed.resultCode == .objectClassViolation)
        #expect(notAllowed.message == "attribute 'aspasieIdentifier' is not allowed by the entry's object classes")
    }

    @Test func extensibleObjectAllowsAnyUserAttribute() throws {
        let context = try ShippedContext.get()
        let entry = try Self.babs([("pwdMinLength", ["8"]), ("dc", ["example"])])
        #expect(
            try violationOf(entry).description
                == "objectClassViolation: attribute 'pwdMinLength' is not allowed by the entry's object classes")
        let extensible = try Self.babs([
            ("objectClass", ["extensibleObject"]), ("pwdMinLength", ["8"]), ("dc", ["example"]),
        ])
        #expect(context.validate(extensible) == nil)
    }

    @Test func namesOIDsAndOptionsCountAsTheType() throws {
        let context = try ShippedContext.get()
        let entry = try makeEntry(
            "commonName=Babs,dc=example,dc=com",
            [
                ("objectClass", ["person"]), ("2.5.4.3", ["Babs"]), ("surname;lang-fr", ["Jensen"]),
                ("description;lang-en", ["a person"]),
            ])
        #expect(context.validate(entry) == nil)
        let badOption = try makeEntry(
            Self.babsDN, [("objectClass", ["person"]), ("cn;", ["Babs Jensen"]), ("sn", ["J"])])
        #expect(try violationOf(badOption).resultCode == .undefinedAttributeType)
    }

    // MARK: - Object classes

    @Test func missingRequiredAttributeNamesTheMostSpecificClass() throws {
        let violation = try violationOf(Self.babs(without: ["sn"]))
        #expect(violation.resultCode == .objectClassViolation)
        #expect(violation.description == "objectClassViolation: object class 'inetOrgPerson' requires attribute 'sn'")
        #expect(violation.attribute == "sn")
    }

    @Test func unknownObjectClass() throws {
        let violation = try violationOf(
            Self.babs([("objectClass", ["inetOrgPerson", "fooBar"])], without: ["objectClass"]))
        #expect(violation.description == "invalidAttributeSyntax: object class 'fooBar' is not defined in the schema")
        #expect(violation.valueIndex == 1)
    }

    @Test func twoUnrelatedStructuralClasses() throws {
        let violation = try violationOf(
            Self.babs([("objectClass", ["inetOrgPerson", "device"])], without: ["objectClass"]))
        #expect(violation.resultCode == .objectClassViolation)
        #expect(violation.message.contains("'device'") && violation.message.contains("'inetOrgPerson'"))
        #expect(violation.message.contains("do not belong to one superclass chain"))
    }

    @Test func abstractOrAuxiliaryOnlyHasNoStructuralClass() throws {
        let abstract = try violationOf(makeEntry("cn=x,dc=example", [("objectClass", ["top"]), ("cn", ["x"])]))
        #expect(abstract.description == "objectClassViolation: no structural object class among 'top'")
        let auxiliary = try violationOf(
            makeEntry("cn=x,dc=example", [("objectClass", ["top", "extensibleObject"]), ("cn", ["x"])]))
        #expect(
            auxiliary.description == "objectClassViolation: no structural object class among 'top', 'extensibleObject'")
    }

    @Test func noObjectClassAttribute() throws {
        let violation = try violationOf(Self.babs(without: ["objectClass"]))
        #expect(violation.description == "objectClassViolation: the entry has no objectClass attribute")
    }

    // MARK: - Attributes

    @Test func undefinedAttributeType() throws {
        let violation = try violationOf(Self.babs([("favouriteColour", ["blue"])]))
        #expect(violation.resultCode == .undefinedAttributeType)
        #expect(
            violation.description
                == "undefinedAttributeType: attribute type 'favouriteColour' is not defined in the schema")
    }

    @Test func emptyValueList() throws {
        let violation = try violationOf(Self.babs([("description", [])]))
        #expect(violation.description == "constraintViolation: attribute 'description' has no values")
    }

    @Test func operationalAttributesAreOutsideMustAndMay() throws {
        let context = try ShippedContext.get()
        // pwdReset is operational and user-modifiable: accepted although no class lists it.
        #expect(context.validate(try Self.babs([("pwdReset", ["TRUE"])])) == nil)
        // createTimestamp is NO-USER-MODIFICATION: the caller decides.
        let stamped = try Self.babs([("createTimestamp", ["20240315123000Z"])])
        #expect(context.validate(stamped, options: .serverWrite) == nil)
        let refused = try violationOf(stamped, options: .clientWrite)
        #expect(refused.resultCode == .constraintViolation)
        #expect(
            refused.message == "attribute 'createTimestamp' is NO-USER-MODIFICATION and cannot be supplied by a client")
    }

    @Test func duplicateValuesUnderTheEqualityRule() throws {
        let violation = try violationOf(Self.babs([("description", ["Foo", "foo"])]))
        #expect(violation.resultCode == .attributeOrValueExists)
        #expect(violation.message == "attribute 'description' value #1 'foo' duplicates value #0 under caseIgnoreMatch")
        #expect(violation.valueIndex == 1)
        // Spaces are insignificant too, and two spellings of one type are one attribute.
        let spaced = try violationOf(Self.babs([("2.5.4.3", ["  babs   JENSEN "])]))
        #expect(spaced.resultCode == .attributeOrValueExists)
        // A tagged attribute is a different attribute.
        let context = try ShippedContext.get()
        #expect(context.validate(try Self.babs([("cn;lang-fr", ["Babs Jensen"])])) == nil)
    }

    @Test func duplicateValuesWithoutEqualityRuleCompareOctets() throws {
        let context = try ShippedContext.get()
        #expect(context.validate(try Self.babs([("jpegPhoto", ["abc", "ABC"])])) == nil)
        let violation = try violationOf(Self.babs([("jpegPhoto", ["abc", "abc"])]))
        #expect(
            violation.description
                == "attributeOrValueExists: attribute 'jpegPhoto' value #1 'abc' duplicates value #0 under octet comparison"
        )
    }

    @Test func duplicateDNsUnderSchemaAwareDistinguishedNameMatch() throws {
        let context = try ShippedContext.get()
        let group = try makeEntry(
            "cn=staff,dc=example,dc=com",
            [("objectClass", ["groupOfNames"]), ("cn", ["staff"]), ("member", ["cn=A B,dc=example,dc=com"])])
        #expect(context.validate(group) == nil)
        let twice = group.adding("member", ["commonName=a  b, DC=Example,dc=COM"])
        #expect(try violationOf(twice).resultCode == .attributeOrValueExists)
        let byOID = group.adding("member", ["2.5.4.3=A B,0.9.2342.19200300.100.1.25=example,dc=com"])
        #expect(try violationOf(byOID).resultCode == .attributeOrValueExists)
    }

    @Test func objectClassDuplicatesByNameAndOID() throws {
        let violation = try violationOf(
            Self.babs([("objectClass", ["inetOrgPerson", "2.16.840.1.113730.3.2.2"])], without: ["objectClass"]))
        #expect(violation.resultCode == .attributeOrValueExists)
    }

    @Test func singleValuedAttribute() throws {
        let violation = try violationOf(Self.babs([("displayName", ["Babs"]), ("displayName", ["Barbara"])]))
        #expect(
            violation.description == "constraintViolation: attribute 'displayName' is single-valued but has 2 values")
        let context = try ShippedContext.get()
        #expect(context.validate(try Self.babs([("displayName", ["Babs"])])) == nil)
    }

    @Test func syntaxViolationsNameTheValueAndTheReason() throws {
        let phone = try violationOf(
            Self.babs([("telephoneNumber", ["+1 408 555 1212", "call me ☎"])], without: ["telephoneNumber"]))
        #expect(phone.resultCode == .invalidAttributeSyntax)
        #expect(phone.valueIndex == 1)
        let expected = try #require(AttributeSyntax.telephoneNumber.validate("call me ☎"))
        #expect(phone.message == "attribute 'telephoneNumber' value #1 'call me ☎' is \(expected.description)")

        let time = try violationOf(Self.babs([("createTimestamp", ["20241315123000Z"])]), options: .serverWrite)
        #expect(time.resultCode == .invalidAttributeSyntax)
        #expect(
            time.message.hasPrefix(
                "attribute 'createTimestamp' value #0 '20241315123000Z' is not a valid Generalized Time: "))
    }

    @Test func syntaxLengthBoundIsAConstraint() throws {
        let context = try ShippedContext.get()
        let person: [(String, [String])] = [
            ("objectClass", ["inetOrgPerson", "aspasiePerson"]), ("cn", ["J"]), ("sn", ["D"]),
            ("mail", ["j@example.fr"]),
            ("aspasieIdentifier", ["j-xt"]), ("aspasiePopulation", ["SSLSPL"]), ("aspasieCodique", ["075"]),
        ]
        // {16} counts characters: sixteen two-byte characters fit.
        let sixteen = String(repeating: "é", count: 16)
        let fits = try makeEntry("cn=J,dc=example", person + [("aspasieCivility", [sixteen])])
        #expect(context.validate(fits) == nil)
        let long = try makeEntry("cn=J,dc=example", person + [("aspasieCivility", [sixteen + "é"])])
        let violation = try #require(context.validate(long))
        #expect(
            violation.description
                == "constraintViolation: attribute 'aspasieCivility' value #0 is 17 characters long, more than the 16 its syntax allows"
        )
        #expect(context.validate(long, options: EntryValidationOptions(enforcesLengthBounds: false)) == nil)
    }

    // MARK: - RDN

    @Test func rdnValueMustBeInTheEntry() throws {
        let context = try ShippedContext.get()
        var entry = try Self.babs()
        entry.dn = try DistinguishedName("CN=BABS   JENSEN,ou=People,dc=example,dc=com")
        #expect(context.validate(entry) == nil)
        entry.dn = try DistinguishedName("cn=Bjorn Jensen,ou=People,dc=example,dc=com")
        let violation = try #require(context.validate(entry))
        #expect(
            violation.description
                == "namingViolation: RDN value 'Bjorn Jensen' of 'cn' is not among the entry's values of 'cn'")
        // Only the untagged attribute names the entry.
        entry.dn = try DistinguishedName("cn=Babette,ou=People,dc=example,dc=com")
        #expect(context.validate(entry.adding("cn;lang-fr", ["Babette"]))?.resultCode == .namingViolation)
    }

    @Test func multiValuedAndHexRDNs() throws {
        let context = try ShippedContext.get()
        var entry = try Self.babs([("uid", ["bjensen"])])
        entry.dn = try DistinguishedName("cn=Babs Jensen+uid=BJENSEN,dc=example,dc=com")
        #expect(context.validate(entry) == nil)
        entry.dn = try DistinguishedName("cn=Babs Jensen+uid=someone,dc=example,dc=com")
        #expect(context.validate(entry)?.resultCode == .namingViolation)
        // #0C0B… is a BER UTF8String holding "Babs Jensen".
        entry.dn = try DistinguishedName("cn=#0C0B42616273204A656E73656E,dc=example,dc=com")
        #expect(context.validate(entry) == nil)
    }

    @Test func rdnTypeUnknownOrWithoutEquality() throws {
        var entry = try Self.babs([("jpegPhoto", ["x"])])
        entry.dn = try DistinguishedName("favouriteColour=blue,dc=example,dc=com")
        #expect(
            try violationOf(entry).description
                == "namingViolation: RDN attribute type 'favouriteColour' is not defined in the schema")
        entry.dn = try DistinguishedName("jpegPhoto=x,dc=example,dc=com")
        #expect(
            try violationOf(entry).description
                == "namingViolation: RDN attribute type 'jpegPhoto' has no equality matching rule")
    }

    // MARK: - Normalised values

    @Test func normalizedValuesForStorage() throws {
        let context = try ShippedContext.get()
        let cn = try context.normalizedValues(of: EntryAttribute("commonName", ["Babs  JENSEN "]))
        #expect(cn == [try MatchingRule.caseIgnoreMatch.normalize(Array("babs jensen".utf8))])
        let classes = try context.normalizedValues(of: EntryAttribute("objectClass", ["person", "PERSON", "2.5.6.6"]))
        #expect(classes == Array(repeating: Array("2.5.6.6".utf8), count: 3))
        let integers = try context.normalizedValues(of: EntryAttribute("pwdMinLength", ["8", "10"]), kind: .ordering)
        #expect(integers[0].lexicographicallyPrecedes(integers[1]))
        #expect(try context.normalizedValues(of: EntryAttribute("jpegPhoto", ["AbC"])) == [Array("AbC".utf8)])
        #expect(throws: EntryViolation.self) { try context.normalizedValues(of: EntryAttribute("nope", ["x"])) }
        do {
            _ = try context.normalizedValues(of: EntryAttribute("pwdMinLength", ["eight"]))
            Issue.record("expected a violation")
        } catch {
            #expect(error.resultCode == .invalidAttributeSyntax)
            #expect(error.valueIndex == 0)
        }
    }
}

extension Entry {
    /// This entry with one more attribute.
    func adding(_ description: String, _ values: [String]) -> Entry {
        var copy = self
        copy.attributes.append(EntryAttribute(description, values))
        return copy
    }

    /// This entry without the attributes of this description.
    func removing(_ description: String) -> Entry {
        var copy = self
        copy.attributes.removeAll { $0.description == AttributeDescription(description) }
        return copy
    }
}

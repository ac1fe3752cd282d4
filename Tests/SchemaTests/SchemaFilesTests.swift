import Foundation
import Schema
import Testing

/// Where the shipped schema files are, found from this file's path (symlinks resolved).
enum ShippedSchema {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // SchemaTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // root

    static var directory: String { repositoryRoot.appendingPathComponent("schema").path }

    static func load(_ files: [String] = Schema.standardFiles) throws -> Schema {
        try Schema(directory: directory, files: files)
    }

    /// Every matching rule and syntax the shipped files name, for `validateReferences`.
    static func referencedRulesAndSyntaxes(_ schema: Schema) -> (rules: Set<String>, syntaxes: Set<String>) {
        var rules: Set<String> = []
        var syntaxes: Set<String> = []
        for type in schema.attributeTypes {
            rules.formUnion([type.equality, type.ordering, type.substring].compactMap { $0 })
            if let syntax = type.syntax { syntaxes.insert(syntax) }
        }
        return (rules, syntaxes)
    }
}

enum OIDShape {
    static func isNumeric(_ text: String) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}

@Suite("Shipped schema files")
struct SchemaFilesTests {
    @Test("each shipped file loads, in order, and contributes definitions", arguments: Schema.standardFiles.indices)
    func eachFileLoads(position: Int) throws {
        let files = Array(Schema.standardFiles[...position])
        let schema = try ShippedSchema.load(files)
        let file = Schema.standardFiles[position]
        let fromThisFile = schema.attributeTypes.filter {
            schema.location(ofAttributeType: $0.oid)?.file.hasSuffix("/" + file) == true
        }
        let classesFromThisFile = schema.objectClasses.filter {
            schema.location(ofObjectClass: $0.oid)?.file.hasSuffix("/" + file) == true
        }
        #expect(fromThisFile.count + classesFromThisFile.count > 0)
    }

    @Test func theStandardOrderIsSystemFirstAspasieLast() {
        #expect(Schema.standardFiles.first == "system.schema")
        #expect(Schema.standardFiles.last == "aspasie.schema")
        for file in Schema.standardFiles {
            #expect(FileManager.default.fileExists(atPath: ShippedSchema.directory + "/" + file), "\(file)")
        }
    }

    @Test func everyShippedDefinitionRoundTripsThroughItsRFC4512Description() throws {
        let schema = try ShippedSchema.load()
        #expect(schema.attributeTypes.count > 120)
        #expect(schema.objectClasses.count > 25)
        for type in schema.attributeTypes {
            #expect(try AttributeTypeDefinition(rfc4512Description: type.rfc4512Description) == type)
        }
        for objectClass in schema.objectClasses {
            #expect(try ObjectClassDefinition(rfc4512Description: objectClass.rfc4512Description) == objectClass)
        }
    }

    @Test func publishedDescriptionsHaveMacrosExpanded() throws {
        let schema = try ShippedSchema.load()
        let mail = try #require(schema.attributeType(named: "mail"))
        #expect(mail.rfc4512Description == "( 0.9.2342.19200300.100.1.3 NAME ( 'mail' 'rfc822Mailbox' ) "
            + "EQUALITY caseIgnoreIA5Match SUBSTR caseIgnoreIA5SubstringsMatch "
            + "SYNTAX 1.3.6.1.4.1.1466.115.121.1.26{256} )")
        for type in schema.attributeTypes {
            #expect(OIDShape.isNumeric(type.oid) && OIDShape.isNumeric(type.syntax ?? "1.1"), "\(type.primaryName)")
        }
    }

    @Test func everyReferencedRuleAndSyntaxIsReportedWhenUnknown() throws {
        let schema = try ShippedSchema.load()
        let (rules, syntaxes) = ShippedSchema.referencedRulesAndSyntaxes(schema)
        #expect(schema.validateReferences(knownMatchingRules: rules, knownSyntaxes: syntaxes).isEmpty)
        // The rule names the RFCs use, which the matching-rule registry must provide.
        for rule in ["caseIgnoreMatch", "caseIgnoreSubstringsMatch", "caseIgnoreIA5Match", "distinguishedNameMatch",
                     "numericStringMatch", "generalizedTimeMatch", "integerMatch", "booleanMatch",
                     "objectIdentifierMatch", "octetStringMatch", "telephoneNumberMatch", "UUIDMatch"] {
            #expect(rules.contains(rule), "\(rule)")
        }
        let withoutTelephone = rules.subtracting(["telephoneNumberMatch"])
        let errors = schema.validateReferences(knownMatchingRules: withoutTelephone, knownSyntaxes: syntaxes)
        let names = Set(errors.compactMap { error -> String? in
            if case .unknownMatchingRule("telephoneNumberMatch", let of) = error.problem { return of }
            return nil
        })
        #expect(names == ["telephoneNumber", "homePhone", "mobile", "pager"])
        #expect(errors.allSatisfy { $0.line > 0 && $0.file.hasSuffix(".schema") })
    }

    // MARK: - system.schema

    @Test(arguments: [
        ("createTimestamp", AttributeUsage.directoryOperation), ("modifyTimestamp", .directoryOperation),
        ("creatorsName", .directoryOperation), ("modifiersName", .directoryOperation),
        ("subschemaSubentry", .directoryOperation), ("entryDN", .directoryOperation),
        ("entryUUID", .directoryOperation), ("structuralObjectClass", .directoryOperation),
        ("hasSubordinates", .directoryOperation), ("attributeTypes", .directoryOperation),
        ("objectClasses", .directoryOperation), ("ldapSyntaxes", .directoryOperation),
        ("matchingRules", .directoryOperation), ("namingContexts", .dSAOperation),
        ("supportedLDAPVersion", .dSAOperation), ("supportedControl", .dSAOperation),
        ("supportedExtension", .dSAOperation), ("supportedFeatures", .dSAOperation),
        ("supportedSASLMechanisms", .dSAOperation), ("vendorName", .dSAOperation),
        ("vendorVersion", .dSAOperation),
    ])
    func operationalAttributesHaveTheirRFCUsage(name: String, usage: AttributeUsage) throws {
        let schema = try ShippedSchema.load(["system.schema"])
        let type = try #require(schema.attributeType(named: name))
        #expect(type.usage == usage)
        #expect(type.isOperational)
    }

    @Test func serverMaintainedAttributesAreNotUserModifiable() throws {
        let schema = try ShippedSchema.load(["system.schema"])
        for name in ["createTimestamp", "modifyTimestamp", "creatorsName", "modifiersName", "entryUUID",
                     "entryDN", "structuralObjectClass", "hasSubordinates", "subschemaSubentry"] {
            let type = try #require(schema.attributeType(named: name))
            #expect(type.isNoUserModification && type.isSingleValued, "\(name)")
        }
        #expect(schema.attributeType(named: "entryUUID")?.oid == "1.3.6.1.1.16.4")
        #expect(schema.attributeType(named: "entryUUID")?.syntax == "1.3.6.1.1.16.1")
        #expect(schema.attributeType(named: "attributeTypes")?.isNoUserModification == false)
    }

    @Test func topAliasExtensibleObjectAndSubschema() throws {
        let schema = try ShippedSchema.load(["system.schema"])
        #expect(schema.objectClass(named: "top")?.kind == .abstract)
        #expect(schema.objectClass(named: "TOP")?.mustAttributes == ["objectClass"])
        #expect(schema.objectClass(named: "alias")?.kind == .structural)
        #expect(schema.objectClass(named: "extensibleObject")?.kind == .auxiliary)
        #expect(schema.objectClass(named: "extensibleObject")?.oid == "1.3.6.1.4.1.1466.101.120.111")
        let subschema = try #require(schema.objectClass(named: "subschema"))
        #expect(subschema.kind == .auxiliary && subschema.oid == "2.5.20.1")
        #expect(subschema.mayAttributes.contains("attributeTypes") && subschema.mayAttributes.contains("objectClasses"))
    }

    // MARK: - core, cosine, inetorgperson

    @Test func inetOrgPersonDerivesFromOrganizationalPerson() throws {
        let schema = try ShippedSchema.load()
        let inetOrgPerson = try #require(schema.objectClass(named: "inetOrgPerson"))
        #expect(inetOrgPerson.oid == "2.16.840.1.113730.3.2.2")
        #expect(inetOrgPerson.superiors == ["organizationalPerson"])
        #expect(inetOrgPerson.kind == .structural)
        #expect(schema.superclasses(of: "inetOrgPerson")?.map(\.primaryName)
            == ["organizationalPerson", "person", "top"])
        let must = try #require(schema.requiredAttributes(of: "inetOrgPerson")).map(\.primaryName)
        #expect(Set(must) == ["sn", "cn", "objectClass"])
        #expect(must.count == 3)
        let may = try #require(schema.optionalAttributes(of: "inetOrgPerson")).map(\.primaryName)
        for name in ["mail", "mobile", "uid", "givenName", "displayName", "title", "telephoneNumber", "postalCode",
                     "userPassword", "l", "manager"] {
            #expect(may.contains(name), "\(name)")
        }
        #expect(!may.contains("sn"))
    }

    @Test func mailIsCaseIgnoreIA5() throws {
        let schema = try ShippedSchema.load()
        let mail = try #require(schema.resolvedAttributeType(named: "rfc822Mailbox"))
        #expect(mail.primaryName == "mail")
        #expect(mail.equality == "caseIgnoreIA5Match")
        #expect(mail.substring == "caseIgnoreIA5SubstringsMatch")
        #expect(mail.syntax == "1.3.6.1.4.1.1466.115.121.1.26")
        #expect(mail.syntaxLength == 256)
        #expect(mail.oid == "0.9.2342.19200300.100.1.3")
    }

    @Test func nameSubtypesIncludeTheNamingAttributes() throws {
        let schema = try ShippedSchema.load()
        let subtypes = Set(try #require(schema.subtypes(of: "name")).map(\.primaryName))
        for name in ["cn", "sn", "c", "l", "st", "o", "ou", "title", "givenName", "initials", "generationQualifier",
                     "aspasieStructureName"] {
            #expect(subtypes.contains(name), "\(name)")
        }
        #expect(!subtypes.contains("name"))
        #expect(!subtypes.contains("mail"))
        #expect(!subtypes.contains("description"))
        let cn = try #require(schema.resolvedAttributeType(named: "commonName"))
        #expect(cn.equality == "caseIgnoreMatch" && cn.substring == "caseIgnoreSubstringsMatch")
        #expect(cn.syntax == "1.3.6.1.4.1.1466.115.121.1.15")
        #expect(cn.superiorOIDs == ["2.5.4.41"])
        // c declares its own syntax (Country String) but inherits name's rules.
        let c = try #require(schema.resolvedAttributeType(named: "countryName"))
        #expect(c.syntax == "1.3.6.1.4.1.1466.115.121.1.11" && c.equality == "caseIgnoreMatch" && c.isSingleValued)
    }

    @Test func distinguishedNameSubtypes() throws {
        let schema = try ShippedSchema.load()
        let subtypes = Set(try #require(schema.subtypes(of: "distinguishedName")).map(\.primaryName))
        #expect(subtypes.isSuperset(of: ["member", "owner", "seeAlso", "roleOccupant", "aspasieStructureMember",
                                         "aspasiePrincipalManager", "aspasiePendingAttachment"]))
        #expect(schema.resolvedAttributeType(named: "member")?.equality == "distinguishedNameMatch")
    }

    @Test func coreClassesAreThere() throws {
        let schema = try ShippedSchema.load(["system.schema", "core.schema"])
        let expected: [(String, ObjectClassKind)] = [
            ("country", .structural), ("locality", .structural), ("organization", .structural),
            ("organizationalUnit", .structural), ("person", .structural), ("organizationalPerson", .structural),
            ("residentialPerson", .structural), ("applicationProcess", .structural), ("device", .structural),
            ("groupOfNames", .structural), ("groupOfUniqueNames", .structural), ("dcObject", .auxiliary),
            ("uidObject", .auxiliary), ("organizationalRole", .structural),
        ]
        for (name, kind) in expected {
            #expect(schema.objectClass(named: name)?.kind == kind, "\(name)")
        }
        #expect(Set(schema.requiredAttributes(of: "groupOfNames")?.map(\.primaryName) ?? [])
            == ["member", "cn", "objectClass"])
        #expect(schema.attributeType(named: "dc")?.equality == "caseIgnoreIA5Match")
        #expect(schema.attributeType(named: "userPassword")?.equality == "octetStringMatch")
    }

    // MARK: - ppolicy.schema

    @Test func passwordPolicyClassAndAttributes() throws {
        let schema = try ShippedSchema.load(["system.schema", "ppolicy.schema"])
        let policy = try #require(schema.objectClass(named: "pwdPolicy"))
        #expect(policy.oid == "1.3.6.1.4.1.42.2.27.8.2.1")
        #expect(policy.kind == .auxiliary)
        #expect(policy.mustAttributes == ["pwdAttribute"])
        let names = ["pwdAttribute", "pwdMinAge", "pwdMaxAge", "pwdInHistory", "pwdCheckQuality", "pwdMinLength",
                     "pwdExpireWarning", "pwdGraceAuthNLimit", "pwdLockout", "pwdLockoutDuration", "pwdMaxFailure",
                     "pwdFailureCountInterval", "pwdMustChange", "pwdAllowUserChange", "pwdSafeModify"]
        for (offset, name) in names.enumerated() {
            let type = try #require(schema.attributeType(named: name))
            #expect(type.oid == "1.3.6.1.4.1.42.2.27.8.1.\(offset + 1)", "\(name)")
            #expect(type.usage == .userApplications && type.isSingleValued, "\(name)")
        }
        // OpenLDAP 2.5's additions follow the draft's (password policy, issue 6).
        #expect(
            policy.mayAttributes
                == Array(names.dropFirst()) + ["pwdMinDelay", "pwdMaxDelay", "pwdMaxIdle", "pwdGraceExpiry", "pwdMaxLength"])
    }

    @Test(arguments: [
        ("pwdChangedTime", "16", true, true), ("pwdAccountLockedTime", "17", true, true),
        ("pwdFailureTime", "19", false, true), ("pwdHistory", "20", false, true),
        ("pwdGraceUseTime", "21", false, true), ("pwdReset", "22", true, false),
        ("pwdPolicySubentry", "23", true, true),
    ])
    func passwordPolicyStateIsOperational(name: String, arc: String, single: Bool, noUserModification: Bool) throws {
        let schema = try ShippedSchema.load(["system.schema", "ppolicy.schema"])
        let type = try #require(schema.attributeType(named: name))
        #expect(type.oid == "1.3.6.1.4.1.42.2.27.8.1." + arc)
        #expect(type.usage == .directoryOperation)
        #expect(type.isSingleValued == single)
        #expect(type.isNoUserModification == noUserModification)
    }

    @Test func escapedQuoteInADescriptionIsDecoded() throws {
        let schema = try ShippedSchema.load(["system.schema", "ppolicy.schema"])
        #expect(schema.attributeType(named: "pwdHistory")?.descriptionText == "The history of the user's passwords")
        #expect(schema.attributeType(named: "pwdHistory")?.rfc4512Description.contains("user\\27s") == true)
    }

    // MARK: - aspasie.schema

    static let aspasieArc = "2.25.208241287730979937341023007625728684541"

    @Test func aspasieDefinitionsLiveUnderTheUUIDArc() throws {
        let schema = try ShippedSchema.load()
        let types = schema.attributeTypes.filter { $0.primaryName.hasPrefix("aspasie") }
        let classes = schema.objectClasses.filter { $0.primaryName.hasPrefix("aspasie") }
        #expect(types.count == 13)
        #expect(classes.count == 3)
        for type in types { #expect(type.oid.hasPrefix(Self.aspasieArc + ".1."), "\(type.primaryName)") }
        for objectClass in classes { #expect(objectClass.oid.hasPrefix(Self.aspasieArc + ".2.")) }
        #expect(schema.attributeType(named: "aspasieSiret")?.oid == Self.aspasieArc + ".1.10")
    }

    @Test func aspasiePersonIsAnAuxiliaryClassCarryingPopulationAndCodique() throws {
        let schema = try ShippedSchema.load()
        let person = try #require(schema.objectClass(named: "aspasiePerson"))
        #expect(person.kind == .auxiliary)
        let must = Set(try #require(schema.requiredAttributes(of: "aspasiePerson")).map(\.primaryName))
        #expect(must == ["aspasieIdentifier", "aspasieCivility", "aspasiePopulation", "aspasieCodique", "mail",
                         "objectClass"])
        #expect(person.mayAttributes.contains("mobile"))
        #expect(schema.attributeType(named: "aspasiePopulation")?.isSingleValued == true)
        #expect(schema.objectClass(named: "aspasieCorrespondent")?.kind == .auxiliary)
        #expect(schema.attributeType(named: "aspasieTerritoryCodique")?.isSingleValued == false)
    }

    @Test func aspasieStructureCarriesSiretNameAndManagers() throws {
        let schema = try ShippedSchema.load()
        let structure = try #require(schema.objectClass(named: "aspasieStructure"))
        #expect(structure.kind == .structural)
        #expect(structure.mustAttributes == ["aspasieSiret", "aspasieStructureName", "aspasiePrincipalManager"])
        for name in ["aspasieSecondaryManager", "aspasieAttachedUser", "aspasiePendingAttachment"] {
            #expect(structure.mayAttributes.contains(name), "\(name)")
        }
        #expect(schema.attributeType(named: "aspasiePrincipalManager")?.isSingleValued == true)
        let members = Set(try #require(schema.subtypes(of: "aspasieStructureMember")).map(\.primaryName))
        #expect(members == ["aspasiePrincipalManager", "aspasieSecondaryManager", "aspasieAttachedUser"])
        #expect(!schema.isAttributeType("aspasiePendingAttachment", subtypeOf: "aspasieStructureMember"))
    }

    @Test func portalSearchesHaveTheRulesTheyNeed() throws {
        let schema = try ShippedSchema.load()
        let identifier = try #require(schema.resolvedAttributeType(named: "aspasieIdentifier"))
        #expect(identifier.equality == "caseIgnoreMatch" && identifier.substring == "caseIgnoreSubstringsMatch")
        #expect(schema.isAttributeType("aspasieIdentifier", subtypeOf: "uid"))
        let siret = try #require(schema.resolvedAttributeType(named: "aspasieSiret"))
        #expect(siret.equality == "numericStringMatch" && siret.substring == "numericStringSubstringsMatch")
        #expect(siret.syntax == "1.3.6.1.4.1.1466.115.121.1.36" && siret.syntaxLength == 14)
        for name in ["aspasieCodique", "aspasiePopulation", "aspasieCivility", "aspasieTerritoryCodique",
                     "aspasieStructureName", "aspasieStructureMember", "aspasiePrincipalManager",
                     "aspasieSecondaryManager", "aspasieAttachedUser", "aspasiePendingAttachment"] {
            #expect(schema.resolvedAttributeType(named: name)?.equality != nil, "\(name)")
        }
        #expect(schema.resolvedAttributeType(named: "aspasieAttachedUser")?.equality == "distinguishedNameMatch")
        #expect(schema.resolvedAttributeType(named: "aspasieStructureName")?.substring == "caseIgnoreSubstringsMatch")
        #expect(schema.resolvedAttributeType(named: "aspasieCodique")?.substring == "caseIgnoreSubstringsMatch")
    }

    @Test func docsDescribeEveryAspasieDefinition() throws {
        let schema = try ShippedSchema.load()
        let docs = try String(
            contentsOf: ShippedSchema.repositoryRoot.appendingPathComponent("docs/schema.md"), encoding: .utf8
        )
        for type in schema.attributeTypes where type.primaryName.hasPrefix("aspasie") {
            #expect(docs.contains("`\(type.primaryName)`"), "\(type.primaryName)")
            #expect(docs.contains(type.oid), "\(type.oid)")
        }
        for objectClass in schema.objectClasses where objectClass.primaryName.hasPrefix("aspasie") {
            #expect(docs.contains("`\(objectClass.primaryName)`"), "\(objectClass.primaryName)")
            #expect(docs.contains(objectClass.oid), "\(objectClass.oid)")
        }
        for file in Schema.standardFiles { #expect(docs.contains(file), "\(file)") }
    }
}

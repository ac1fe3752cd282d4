import Foundation
import LDAPProtocol
import Testing

@testable import DemoData

@Suite struct DemoDataGeneratorTests {
    private func standard() throws -> GeneratedDirectory {
        try GeneratedDirectory.standard.get()
    }

    private static let suffix = "dc=dgfip,dc=finances,dc=gouv,dc=fr"

    // MARK: - Determinism

    @Test func sameSeedGivesTheSameBytesAndCredentials() throws {
        let first = try DemoDataGenerator(options: DemoDataOptions(people: 300, seed: 9)).generateInMemory()
        let second = try DemoDataGenerator(options: DemoDataOptions(people: 300, seed: 9)).generateInMemory()
        #expect(first.ldif == second.ldif)
        #expect(first.credentials == second.credentials)
        #expect(first.summary == second.summary)
    }

    @Test func differentSeedsGiveDifferentDirectories() throws {
        let first = try DemoDataGenerator(options: DemoDataOptions(people: 300, seed: 9)).generateInMemory()
        let second = try DemoDataGenerator(options: DemoDataOptions(people: 300, seed: 10)).generateInMemory()
        #expect(first.ldif != second.ldif)
        #expect(first.credentials.map(\.password) != second.credentials.map(\.password))
    }

    @Test func passwordSchemeChangesOnlyUserPassword() throws {
        let ssha = try DemoDataGenerator(options: DemoDataOptions(people: 200, seed: 3, passwordScheme: .ssha))
            .generateInMemory()
        let clear = try DemoDataGenerator(options: DemoDataOptions(people: 200, seed: 3, passwordScheme: .cleartext))
            .generateInMemory()
        func withoutPasswords(_ bytes: [UInt8]) throws -> [LDIFEntry] {
            try readEntries(bytes).map { entry in
                var entry = entry
                entry.attributes.removeAll { $0.description == "userPassword" }
                return entry
            }
        }
        #expect(try withoutPasswords(ssha.ldif) == withoutPasswords(clear.ldif))
        #expect(ssha.credentials == clear.credentials)
        // Cleartext: the entry holds the very password of the credentials file.
        let entries = try readEntries(clear.ldif)
        let passwordByDN = Dictionary(uniqueKeysWithValues: entries.map { ($0.dn, $0.string("userPassword")) })
        for line in clear.credentials {
            #expect(passwordByDN[line.dn] == line.password)
        }
    }

    // MARK: - Shape of the LDIF

    @Test func everyRecordParsesAndEveryDNIsValid() throws {
        let directory = try standard()
        #expect(directory.entries.count == directory.summary.entries)
        #expect(directory.bytes.count == directory.summary.ldifBytes)
        let suffix = try DistinguishedName(Self.suffix)
        for entry in directory.entries {
            let dn = try DistinguishedName(entry.dn)
            #expect(dn.isDescendant(of: suffix, includingSelf: true), "\(entry.dn)")
            #expect(!entry.classes.isEmpty, "\(entry.dn) has no objectClass")
            // The RDN's value is among the entry's values (RFC 4512 §2.3).
            if let rdn = dn.rdn, let value = rdn.first.stringValue {
                #expect(entry.strings(rdn.first.type).contains(value), "\(entry.dn)")
            }
        }
    }

    @Test func parentsComeBeforeChildren() throws {
        let directory = try standard()
        var written: Set<DistinguishedName> = []
        let suffix = try DistinguishedName(Self.suffix)
        for entry in directory.entries {
            let dn = try DistinguishedName(entry.dn)
            if dn != suffix {
                let parent = try #require(dn.parent())
                #expect(written.contains(parent), "\(entry.dn) comes before its parent")
            }
            #expect(written.insert(dn).inserted, "\(entry.dn) written twice")
        }
        #expect(directory.entries.first?.dn == Self.suffix)
        #expect(directory.entries.first?.classes == ["top", "dcobject", "organization"])
    }

    @Test func peopleAndStructuresAreUnderTheirContainers() throws {
        let directory = try standard()
        for person in directory.entries(withClass: "aspasiePerson") {
            #expect(person.dn.hasSuffix(",ou=people," + Self.suffix))
        }
        for structure in directory.entries(withClass: "aspasieStructure") {
            #expect(structure.dn.hasSuffix(",ou=structures," + Self.suffix))
        }
        for correspondent in directory.entries(withClass: "aspasieCorrespondent") {
            #expect(correspondent.dn.hasSuffix(",ou=admins," + Self.suffix))
        }
        let accounts = directory.entries(withClass: "simpleSecurityObject").map(\.dn)
        #expect(accounts == ["uid=monitor,ou=admins," + Self.suffix, "uid=portal,ou=admins," + Self.suffix])
    }

    // MARK: - People

    @Test func identifiersMailsAndDNsAreUnique() throws {
        let directory = try standard()
        let identified = directory.entries.filter { !$0.strings("aspasieIdentifier").isEmpty }
        let identifiers = identified.map { $0.string("aspasieIdentifier").lowercased() }
        #expect(Set(identifiers).count == identifiers.count)
        let mails = directory.entries.flatMap { $0.strings("mail") }.map { $0.lowercased() }
        #expect(Set(mails).count == mails.count)
        let dns = directory.entries.map { $0.dn.lowercased() }
        #expect(Set(dns).count == dns.count)
        // Collisions did happen and were numbered.
        #expect(identifiers.contains { $0.dropLast(3).last?.isNumber == true })
    }

    @Test func identifiersFollowD1() throws {
        let directory = try standard()
        var external = 0
        var staff = 0
        for person in directory.entries(withClass: "aspasiePerson") {
            let identifier = person.string("aspasieIdentifier")
            let mail = person.string("mail")
            #expect(person.string("uid") == identifier)
            #expect(person.dn == "uid=\(identifier),ou=people,\(Self.suffix)")
            if identifier.hasSuffix("-xt") {
                external += 1
                #expect(identifier.dropLast(3).allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) })
            } else {
                staff += 1
                #expect(mail == identifier + "@dgfip.finances.gouv.fr")
            }
        }
        #expect(external == directory.summary.externalPeople)
        #expect(staff == directory.summary.staffPeople)
        #expect(external > staff && staff > 0)
    }

    @Test func mailsAreNominative() throws {
        let directory = try standard()
        let generic: Set<String> = [
            "contact", "accueil", "secretariat", "compta", "comptabilite", "mairie", "info", "infos", "admin",
            "direction", "noreply", "no-reply", "courrier", "standard", "service", "rh",
        ]
        for entry in directory.entries where !entry.strings("mail").isEmpty {
            let mail = entry.string("mail")
            let parts = mail.split(separator: "@")
            #expect(parts.count == 2, "\(mail)")
            let local = String(parts[0])
            #expect(!generic.contains(local), "\(mail)")
            let words = local.split(whereSeparator: { $0 == "." || $0 == "-" || $0.isNumber }).map(String.init)
            #expect(!generic.contains(words.first ?? ""), "\(mail)")
            // firstname.lastname: a dot between two non-empty parts.
            let names = local.split(separator: ".", omittingEmptySubsequences: false)
            #expect(names.count == 2 && names.allSatisfy { !$0.isEmpty }, "\(mail)")
            #expect(parts[1].hasSuffix(".fr"), "\(mail)")
            #expect(mail.unicodeScalars.allSatisfy { $0.isASCII }, "\(mail)")
        }
    }

    @Test func mobilesAreFrenchE164AndAboutSixtyPercent() throws {
        let directory = try standard()
        let people = directory.entries(withClass: "aspasiePerson")
        var withMobile = 0
        for person in people {
            for mobile in person.strings("mobile") {
                withMobile += 1
                let bytes = Array(mobile.utf8)
                #expect(bytes.count == 12 && mobile.hasPrefix("+33"), "\(mobile)")
                #expect(bytes[3] == UInt8(ascii: "6") || bytes[3] == UInt8(ascii: "7"), "\(mobile)")
                #expect(bytes[1...].allSatisfy { $0 >= 48 && $0 <= 57 }, "\(mobile)")
            }
        }
        #expect(withMobile == directory.summary.peopleWithMobile)
        let share = Double(withMobile) / Double(people.count)
        #expect(share > 0.5 && share < 0.7, "\(share)")
    }

    @Test func peopleCarryTheD2Fields() throws {
        let directory = try standard()
        let people = directory.entries(withClass: "aspasiePerson")
        #expect(people.count == 2_000)
        var populations: [String: Int] = [:]
        for person in people {
            #expect(person.classes == ["top", "person", "organizationalperson", "inetorgperson", "aspasieperson"])
            #expect(["M.", "Mme"].contains(person.string("aspasieCivility")))
            let population = person.string("aspasiePopulation")
            #expect(population == "SSLEPN" || population == "SSLSPL", "\(population)")
            populations[population, default: 0] += 1
            #expect(Codique.isWellFormed(person.string("aspasieCodique")))
            #expect(person.string("cn") == person.string("givenName") + " " + person.string("sn"))
            #expect(person.string("postalCode").utf8.count == 5)
            #expect(!person.string("street").isEmpty && !person.string("l").isEmpty)
            #expect(person.string("c") == "FR")
            #expect(person.string("userPassword").hasPrefix("{SSHA}"))
        }
        #expect(populations["SSLEPN"] == directory.summary.populationSSLEPN)
        #expect(populations["SSLSPL"] == directory.summary.populationSSLSPL)
        #expect((populations["SSLEPN"] ?? 0) > 0 && (populations["SSLSPL"] ?? 0) > 0)
        // Accented names are there, written in base64 by the LDIF writer and read back intact.
        #expect(people.contains { $0.string("cn").unicodeScalars.contains { !$0.isASCII } })
    }

    @Test func postalCodesMatchTheCommunesAndCodiquesTheirDepartement() throws {
        let directory = try standard()
        let communes = Dictionary(grouping: Commune.all, by: \.name)
        for entry in directory.entries where !entry.strings("postalCode").isEmpty {
            let candidates = communes[entry.string("l")] ?? []
            let commune = candidates.first { $0.postalCode == entry.string("postalCode") }
            #expect(commune != nil, "\(entry.dn): \(entry.string("postalCode")) \(entry.string("l"))")
            if let commune {
                #expect(entry.string("aspasieCodique") == Codique.directorate(ofDepartement: commune.departement))
            }
        }
    }

    // MARK: - Structures

    @Test func siretsAreUniqueAndPassLuhn() throws {
        let directory = try standard()
        let sirets = directory.entries(withClass: "aspasieStructure").map { $0.string("aspasieSiret") }
        #expect(Set(sirets).count == sirets.count)
        for siret in sirets {
            #expect(Siret.isValid(siret), "\(siret)")
            #expect(Siret.isValidSIREN(String(siret.prefix(9))), "\(siret)")
        }
    }

    @Test func structuresHaveManagersUsersAndPendingRequests() throws {
        let directory = try standard()
        let structures = directory.entries(withClass: "aspasieStructure")
        let people = Dictionary(
            uniqueKeysWithValues: directory.entries(withClass: "aspasiePerson").map { ($0.dn, $0) }
        )
        #expect(structures.count == directory.summary.structures)
        #expect(structures.count >= 2_000 / 10 && structures.count <= 2_000 / 6, "\(structures.count)")
        var attachmentsPerPerson: [String: Int] = [:]
        var pending = 0
        var attachments = 0
        for structure in structures {
            let principal = structure.strings("aspasiePrincipalManager")
            let secondaries = structure.strings("aspasieSecondaryManager")
            let users = structure.strings("aspasieAttachedUser")
            #expect(principal.count == 1)
            #expect(secondaries.count <= 3)
            let members = principal + secondaries + users
            #expect(Set(members).count == members.count, "\(structure.dn) names someone twice")
            for member in members {
                // D10: managers and users are people with an identifier.
                let person = try #require(people[member], "\(member) is not a person")
                #expect(!person.string("aspasieIdentifier").isEmpty)
                attachmentsPerPerson[member, default: 0] += 1
            }
            for request in structure.strings("aspasiePendingAttachment") {
                #expect(people[request] != nil)
                #expect(!members.contains(request))
                pending += 1
            }
            attachments += members.count
            #expect(structure.string("aspasieStructureName").count > 5)
            #expect(Codique.isWellFormed(structure.string("aspasieCodique")))
        }
        #expect(pending == directory.summary.pendingAttachments && pending > 0)
        #expect(attachments == directory.summary.attachments)
        #expect(attachmentsPerPerson.count == people.count, "everyone is attached to a structure")
        #expect(attachmentsPerPerson.values.allSatisfy { (1...2).contains($0) })
        #expect(attachmentsPerPerson.values.contains(2))
        #expect(structures.contains { !$0.strings("aspasieSecondaryManager").isEmpty })
        let names = structures.map { $0.string("aspasieStructureName") }
        for prefix in ["Commune de ", "Collège ", "EHPAD ", "Syndicat intercommunal "] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "no \(prefix)…")
        }
    }

    // MARK: - Correspondents and credentials

    @Test func everyDepartementPresentHasACorrespondent() throws {
        let directory = try standard()
        let correspondents = directory.entries(withClass: "aspasieCorrespondent")
        #expect(correspondents.count == directory.summary.correspondents)
        let territories = Set(correspondents.flatMap { $0.strings("aspasieTerritoryCodique") })
        let codiques = Set(directory.entries(withClass: "aspasiePerson").map { $0.string("aspasieCodique") })
        #expect(codiques.count == directory.summary.departements && codiques.count > 1)
        #expect(codiques.isSubset(of: territories))
        for correspondent in correspondents {
            let identifier = correspondent.string("aspasieIdentifier")
            #expect(correspondent.string("mail") == identifier + "@dgfip.finances.gouv.fr")
            #expect(correspondent.strings("aspasieTerritoryCodique").allSatisfy(Codique.isWellFormed))
        }
    }

    @Test func credentialsListEveryAccountWithItsRole() throws {
        let directory = try standard()
        #expect(directory.credentials.count == directory.summary.credentials)
        let byDN = Dictionary(uniqueKeysWithValues: directory.entries.map { ($0.dn, $0) })
        let structures = directory.entries(withClass: "aspasieStructure")
        let principals = Set(structures.flatMap { $0.strings("aspasiePrincipalManager") })
        let secondaries = Set(structures.flatMap { $0.strings("aspasieSecondaryManager") })
        var roles: [CredentialLine.Role: Int] = [:]
        for line in directory.credentials {
            roles[line.role, default: 0] += 1
            let entry = try #require(byDN[line.dn], "\(line.dn) is not in the LDIF")
            #expect(CredentialLine(text: line.text) == line)
            #expect(!line.text.contains("\n"))
            // {SSHA} verifies against the password of the credentials file.
            #expect(PasswordScheme.verify(line.password, against: entry.string("userPassword")), "\(line.dn)")
            switch line.role {
            case .person:
                #expect(entry.string("aspasieIdentifier") == line.identifier)
                #expect(!principals.contains(line.dn) && !secondaries.contains(line.dn))
            case .principalManager:
                #expect(entry.string("aspasieIdentifier") == line.identifier)
                #expect(principals.contains(line.dn))
            case .secondaryManager:
                #expect(entry.string("aspasieIdentifier") == line.identifier)
                #expect(secondaries.contains(line.dn) && !principals.contains(line.dn))
            case .correspondent:
                #expect(entry.classes.contains("aspasiecorrespondent"))
                #expect(entry.string("aspasieIdentifier") == line.identifier)
            case .monitor, .portal:
                #expect(entry.string("uid") == line.identifier && line.identifier == line.role.rawValue)
            }
        }
        #expect(Set(roles.keys) == Set(CredentialLine.Role.allCases))
        #expect(roles[.monitor] == 1 && roles[.portal] == 1)
        #expect(roles[.principalManager] == directory.summary.principalManagers)
        #expect(roles[.secondaryManager] == directory.summary.secondaryManagers)
        #expect(roles[.correspondent] == directory.summary.correspondents)
        let accounts = directory.entries.filter { !$0.strings("userPassword").isEmpty }
        #expect(accounts.count == directory.credentials.count)
    }

    @Test func countsMatchTheSummary() throws {
        let directory = try standard()
        let summary = directory.summary
        #expect(summary.people == 2_000)
        #expect(summary.people == summary.externalPeople + summary.staffPeople)
        #expect(summary.people == summary.populationSSLEPN + summary.populationSSLSPL)
        #expect(summary.serviceAccounts == 2)
        #expect(
            summary.entries == 4 + summary.serviceAccounts + summary.people + summary.structures
                + summary.correspondents)
        #expect(summary.credentials == summary.serviceAccounts + summary.people + summary.correspondents)
        #expect(directory.entries(withClass: "organizationalUnit").count == 3)
    }

    // MARK: - Streaming and options

    @Test func outputIsStreamedInBoundedChunks() throws {
        let directory = try standard()
        #expect(directory.chunks.count > 3)
        #expect(directory.chunks.allSatisfy { $0 <= DemoDataGenerator.flushSize + 16 * 1024 })
    }

    @Test func zeroPeopleGivesTheSkeletonOnly() throws {
        let result = try DemoDataGenerator(options: DemoDataOptions(people: 0)).generateInMemory()
        #expect(result.summary.entries == 6)
        #expect(result.credentials.map(\.role) == [.monitor, .portal])
        #expect(try readRecords(result.ldif).count == 6)
    }

    @Test func smallCountsStillHaveEveryPart() throws {
        for people in [1, 2, 7, 9, 65] {
            let result = try DemoDataGenerator(options: DemoDataOptions(people: people, seed: 1)).generateInMemory()
            #expect(result.summary.people == people)
            #expect(result.summary.structures >= 1)
            #expect(result.summary.correspondents >= 1)
            #expect(result.summary.principalManagers >= 1)
        }
    }

    @Test func otherSuffixes() throws {
        let organization = try DemoDataGenerator(options: DemoDataOptions(people: 10, suffix: "o=Example"))
            .generateInMemory()
        let records = try readRecords(organization.ldif)
        guard case .content(let root) = records[0] else {
            Issue.record("not a content record")
            return
        }
        #expect(root.dn == "o=Example" && root.classes == ["top", "organization"])
        #expect(records.allSatisfy { $0.dn.hasSuffix("o=Example") })

        #expect(throws: DemoDataError.unsupportedSuffix("uid=x,dc=example")) {
            try DemoDataGenerator(options: DemoDataOptions(people: 1, suffix: "uid=x,dc=example"))
        }
        #expect(throws: DemoDataError.negativePeopleCount(-1)) {
            try DemoDataGenerator(options: DemoDataOptions(people: -1))
        }
        #expect(throws: DemoDataError.self) {
            try DemoDataGenerator(options: DemoDataOptions(people: 1, suffix: "not a dn"))
        }
    }

    @Test func filesMatchTheInMemoryOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "demodata-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ldifPath = directory.appendingPathComponent("demo.ldif").path
        let credentialsPath = directory.appendingPathComponent("credentials.tsv").path
        let generator = try DemoDataGenerator(options: DemoDataOptions(people: 500, seed: 77))
        let summary = try generator.generate(ldifPath: ldifPath, credentialsPath: credentialsPath)
        let expected = try generator.generateInMemory()
        #expect(summary == expected.summary)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: ldifPath))) == expected.ldif)
        let text = try String(contentsOfFile: credentialsPath, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n").map { CredentialLine(text: String($0)) }
        #expect(lines == expected.credentials.map { Optional($0) })

        #expect(throws: DemoDataError.self) {
            try generator.generate(
                ldifPath: directory.appendingPathComponent("missing/dir/x.ldif").path, credentialsPath: nil)
        }
    }
}

import DemoData
import Directory
import DomainRules
import Foundation
import LDAPProtocol
import NIOCore
import Schema
import Storage
import Testing

/// The partner directory's rules (docs/domain-rules.md) on a real store, through the operations a client sends:
/// each refusal is constraintViolation with a message naming the rule, for the root DN too; valid writes pass;
/// mobile numbers are stored in E.164; entries of other classes are not concerned.
@Suite("Domain rules on writes")
struct DomainRuleTests {
    static let structuresDN = peopleDN

    /// A valid person of the partner directory, `uid=<identifier>` under ou=people, with `changes` applied to its
    /// attributes (a nil value list removes the attribute).
    static func person(_ identifier: String, _ changes: [(String, [String]?)] = []) -> [(String, [String])] {
        var attributes: [(String, [String])] = [
            ("objectClass", ["inetOrgPerson", "aspasiePerson"]), ("uid", [identifier]), ("cn", ["Jean Dupont"]),
            ("sn", ["Dupont"]), ("aspasieIdentifier", [identifier]), ("aspasieCivility", ["M."]),
            ("aspasiePopulation", ["SSLSPL"]), ("aspasieCodique", ["0950001"]),
            ("mail", ["\(identifier.replacingOccurrences(of: "-xt", with: ""))@mairie-cergy.fr"]),
        ]
        for (name, values) in changes {
            attributes.removeAll { $0.0 == name }
            if let values { attributes.append((name, values)) }
        }
        return attributes
    }

    static func structure(_ siret: String, _ extra: [(String, [String])] = []) -> [(String, [String])] {
        [
            ("objectClass", ["aspasieStructure"]), ("aspasieSiret", [siret]), ("aspasieStructureName", ["Mairie"]),
            ("aspasiePrincipalManager", ["uid=jdupont-xt,\(peopleDN)"]),
        ] + extra
    }

    static func expectRefused(_ outcome: OperationOutcome, _ prefix: String, code: ResultCode = .constraintViolation) {
        let result = result(of: outcome)
        #expect(result?.resultCode == code, "\(String(describing: result))")
        #expect(
            result.map { String(buffer: $0.diagnosticMessage).hasPrefix(prefix) } == true,
            "\(result.map { String(buffer: $0.diagnosticMessage) } ?? "no result") should start with \(prefix)")
    }

    func modify(
        _ directory: TestDirectory, _ dn: String, _ changes: [(ModifyRequest.Change.Operation, String, [String])],
        as connection: ConnectionInfo = .root
    ) -> OperationOutcome {
        let request = ModifyRequest(
            object: ByteBuffer(string: dn),
            changes: changes.map { .init(operation: $0.0, modification: PartialAttribute($0.1, $0.2)) })
        return directory.perform(.modifyRequest(request), as: connection).outcome
    }

    func stored(_ directory: TestDirectory, _ dn: String, _ attribute: String) throws -> [String] {
        try directory.store.entry(dn: try DistinguishedName(dn))?.stringValues(of: attribute) ?? []
    }

    @Test func validPersonIsAddedWithItsMobileInE164() throws {
        let directory = try TestDirectory()
        let dn = "uid=jdupont-xt,\(peopleDN)"
        try expectSuccess(try directory.add(dn, Self.person("jdupont-xt", [("mobile", ["06 12 34 56 78"])]), as: .root))
        #expect(try stored(directory, dn, "mobile") == ["+33612345678"])
        // DGFiP staff: the identifier is the local part of the mail at the DGFiP's domain.
        try expectSuccess(
            try directory.add(
                "uid=jean.martin,\(peopleDN)",
                Self.person("jean.martin", [("mail", ["jean.martin@dgfip.finances.gouv.fr"])]), as: .root))
    }

    @Test(arguments: [
        ("aspasiePopulation", ["SSLXXX"], "D2: aspasiePopulation 'SSLXXX' is not an allowed population"),
        ("aspasieCodique", ["75001"], "D2: aspasieCodique '75001' is not a codique"),
        ("mail", ["jean.dupont@mairie"], "D3: mail 'jean.dupont@mairie' is not a valid e-mail address"),
        ("mail", ["contact@mairie-cergy.fr"], "D3: mail 'contact@mairie-cergy.fr' is a generic address"),
        ("mail", ["ce.0951234a@ac-versailles.fr"], "D3: mail 'ce.0951234a@ac-versailles.fr' is a generic address"),
        ("mobile", ["01 23 45 67 89"], "D4: mobile '01 23 45 67 89' is not a mobile number"),
        ("aspasieIdentifier", ["jdupont"], "D1: aspasieIdentifier 'jdupont' must end in '-xt'"),
    ])
    func eachRuleRefusesAnAdd(attribute: String, values: [String], message: String) throws {
        let directory = try TestDirectory()
        let outcome = try directory.add("uid=x-xt,\(peopleDN)", Self.person("x-xt", [(attribute, values)]), as: .root)
        Self.expectRefused(outcome, message)
        #expect(try directory.store.entry(dn: try DistinguishedName("uid=x-xt,\(peopleDN)")) == nil)
    }

    @Test func uniqueMailIdentifierAndSiret() throws {
        let directory = try TestDirectory()
        try expectSuccess(try directory.add("uid=jdupont-xt,\(peopleDN)", Self.person("jdupont-xt"), as: .root))
        // D3: the same address in another case.
        Self.expectRefused(
            try directory.add(
                "uid=jdupont2-xt,\(peopleDN)", Self.person("jdupont2-xt", [("mail", ["JDupont@Mairie-Cergy.FR"])]),
                as: .root),
            "D3: mail 'JDupont@Mairie-Cergy.FR' is already the address of another person")
        // D1: the same identifier under another DN.
        Self.expectRefused(
            try directory.add(
                "cn=Other,\(peopleDN)", Self.person("jdupont-xt", [("uid", nil), ("mail", ["o.x@x.fr"])]), as: .root),
            "D1: aspasieIdentifier 'jdupont-xt' is already the identifier of another entry")
        // D1: an identifier that is another entry's uid (sign-in would be ambiguous).
        Self.expectRefused(
            try directory.add(
                "cn=Alice,\(peopleDN)",
                Self.person(
                    "alice",
                    [
                        ("uid", nil), ("aspasieIdentifier", ["alice"]),
                        ("mail", ["alice@dgfip.finances.gouv.fr"]),
                    ]), as: .root),
            "D1: aspasieIdentifier 'alice' is already the identifier of another entry")
        // D9.
        try expectSuccess(
            try directory.add("aspasieSiret=21950127800010,\(peopleDN)", Self.structure("21950127800010"), as: .root))
        Self.expectRefused(
            try directory.add(
                "description=twin,\(peopleDN)", Self.structure("21950127800010", [("description", ["twin"])]), as: .root
            ),
            "D9: aspasieSiret '21950127800010' is already the SIRET of another structure")
        Self.expectRefused(
            try directory.add("aspasieSiret=21950127800011,\(peopleDN)", Self.structure("21950127800011"), as: .root),
            "D9: aspasieSiret '21950127800011' has a wrong check digit")
        Self.expectRefused(
            try directory.add("aspasieSiret=2195012780001,\(peopleDN)", Self.structure("2195012780001"), as: .root),
            "D9: aspasieSiret '2195012780001' is not 14 digits")
    }

    @Test func modifyChecksWhatItBringsAndNormalisesMobiles() throws {
        let directory = try TestDirectory()
        let dn = "uid=jdupont-xt,\(peopleDN)"
        try expectSuccess(try directory.add(dn, Self.person("jdupont-xt"), as: .root))
        try expectSuccess(try directory.add("uid=pmartin-xt,\(peopleDN)", Self.person("pmartin-xt"), as: .root))
        Self.expectRefused(
            modify(directory, dn, [(.replace, "mail", ["accueil@mairie-cergy.fr"])]), "D3: mail 'accueil@")
        Self.expectRefused(
            modify(directory, dn, [(.replace, "mail", ["pmartin@mairie-cergy.fr"])]), "D3: mail 'pmartin@")
        Self.expectRefused(modify(directory, dn, [(.replace, "aspasiePopulation", ["X"])]), "D2: aspasiePopulation 'X'")
        Self.expectRefused(modify(directory, dn, [(.add, "mobile", ["12"])]), "D4: mobile '12'")
        Self.expectRefused(
            modify(directory, dn, [(.replace, "aspasieIdentifier", ["pmartin-xt"])]),
            "D1: aspasieIdentifier 'pmartin-xt' is already")
        #expect(try stored(directory, dn, "mail") == ["jdupont@mairie-cergy.fr"])
        try expectSuccess(modify(directory, dn, [(.replace, "mobile", ["+33 (0)7 56 12 34 56"])]))
        #expect(try stored(directory, dn, "mobile") == ["+33756123456"])
        // Deleting by the form the person typed finds the stored E.164 value.
        try expectSuccess(modify(directory, dn, [(.delete, "mobile", ["07 56 12 34 56"])]))
        #expect(try stored(directory, dn, "mobile").isEmpty)
        // The person's own mail may change to another nominative address (unique, checked in the transaction).
        try expectSuccess(modify(directory, dn, [(.replace, "mail", ["jean.dupont@mairie-cergy.fr"])]))
    }

    @Test func aStoredValueFromBeforeTheRulesDoesNotBlockOtherChanges() throws {
        let directory = try TestDirectory()
        var configuration = directory.service.configuration
        configuration.domainRules = .off
        let lenient = DirectoryService(store: directory.store, configuration: configuration)
        let dn = "uid=legacy-xt,\(peopleDN)"
        let request = AddRequest(
            entry: ByteBuffer(string: dn),
            attributes: Self.person(
                "legacy-xt", [("mail", ["secretariat@mairie-cergy.fr"]), ("mobile", ["0612345678"])]
            )
            .map { PartialAttribute($0.0, $0.1) })
        let added = lenient.perform(
            LDAPMessage(messageID: 1, protocolOp: .addRequest(request)), connection: .root,
            cancellation: OperationCancellation(), send: { _ in })
        try expectSuccess(added)
        #expect(try stored(directory, dn, "mobile") == ["0612345678"])
        // With the rules on: a change that does not touch the mail passes; the old mobile can still be deleted.
        try expectSuccess(modify(directory, dn, [(.replace, "sn", ["Legacy"])]))
        try expectSuccess(modify(directory, dn, [(.delete, "mobile", ["0612345678"])]))
        Self.expectRefused(modify(directory, dn, [(.add, "mail", ["info@mairie-cergy.fr"])]), "D3: mail 'info@")
    }

    @Test func entriesOfOtherClassesAreNotConcerned() throws {
        let directory = try TestDirectory()
        try expectSuccess(
            try directory.add(
                "uid=shared,\(peopleDN)",
                [
                    ("objectClass", ["inetOrgPerson"]), ("uid", ["shared"]), ("cn", ["Shared"]), ("sn", ["S"]),
                    ("mail", ["contact@mairie-cergy.fr"]), ("mobile", ["12"]),
                ], as: .root))
        #expect(try stored(directory, "uid=shared,\(peopleDN)", "mobile") == ["12"])
        // …until it takes the person class: then it is checked whole.
        Self.expectRefused(
            modify(
                directory, "uid=shared,\(peopleDN)",
                [
                    (.add, "objectClass", ["aspasiePerson"]), (.add, "aspasieIdentifier", ["shared-xt"]),
                    (.add, "aspasieCivility", ["M."]), (.add, "aspasiePopulation", ["SSLSPL"]),
                    (.add, "aspasieCodique", ["0950001"]),
                ]),
            "D3: mail 'contact@mairie-cergy.fr' is a generic address")
    }

    @Test func renameChecksTheNewNamingValue() throws {
        let directory = try TestDirectory()
        try expectSuccess(
            try directory.add(
                "aspasieIdentifier=jdupont-xt,\(peopleDN)", Self.person("jdupont-xt", [("uid", nil)]), as: .root))
        try expectSuccess(try directory.add("uid=pmartin-xt,\(peopleDN)", Self.person("pmartin-xt"), as: .root))
        func rename(_ from: String, _ to: String) -> OperationOutcome {
            let request = ModifyDNRequest(
                entry: ByteBuffer(string: "aspasieIdentifier=\(from),\(peopleDN)"),
                newRDN: ByteBuffer(string: "aspasieIdentifier=\(to)"), deleteOldRDN: true)
            return directory.perform(.modifyDNRequest(request), as: .root).outcome
        }
        Self.expectRefused(rename("jdupont-xt", "pmartin-xt"), "D1: aspasieIdentifier 'pmartin-xt' is already")
        Self.expectRefused(rename("jdupont-xt", "jdupont"), "D1: aspasieIdentifier 'jdupont' must end in '-xt'")
        try expectSuccess(rename("jdupont-xt", "jean.dupont-xt"))
    }

    @Test func managersAndAttachmentsArePeopleAndThePrincipalCannotBeDeletedBeforeHandover() throws {
        let directory = try TestDirectory()
        let jean = "uid=jdupont-xt,\(peopleDN)"
        let paul = "uid=pmartin-xt,\(peopleDN)"
        try expectSuccess(try directory.add(jean, Self.person("jdupont-xt"), as: .root))
        try expectSuccess(try directory.add(paul, Self.person("pmartin-xt"), as: .root))
        let structure = "aspasieSiret=21950127800010,\(peopleDN)"
        // D10: a manager must be a person of the directory (not a missing entry, not a plain inetOrgPerson).
        Self.expectRefused(
            try directory.add(
                structure,
                [
                    ("objectClass", ["aspasieStructure"]), ("aspasieSiret", ["21950127800010"]),
                    ("aspasieStructureName", ["Mairie"]), ("aspasiePrincipalManager", ["uid=ghost-xt,\(peopleDN)"]),
                ], as: .root),
            "D10: aspasiePrincipalManager 'uid=ghost-xt,\(peopleDN)' is not a person of the directory")
        try expectSuccess(try directory.add(structure, Self.structure("21950127800010"), as: .root))
        Self.expectRefused(
            modify(directory, structure, [(.add, "aspasieSecondaryManager", ["uid=alice,\(peopleDN)"])]),
            "D10: aspasieSecondaryManager 'uid=alice,\(peopleDN)' is not a person of the directory")
        // D11: attached users and pending requests too.
        Self.expectRefused(
            modify(directory, structure, [(.add, "aspasiePendingAttachment", ["uid=nobody-xt,\(peopleDN)"])]),
            "D11: aspasiePendingAttachment 'uid=nobody-xt,\(peopleDN)' is not a person of the directory")
        try expectSuccess(modify(directory, structure, [(.add, "aspasieAttachedUser", [paul])]))
        // D12: the principal manager cannot be deleted before a successor is named…
        let delete = { (dn: String) in directory.perform(.delRequest(ByteBuffer(string: dn)), as: .root).outcome }
        Self.expectRefused(delete(jean), "D12: '\(jean)' is the principal manager of '\(structure)'")
        #expect(try directory.store.entry(dn: try DistinguishedName(jean)) != nil)
        // …nor can the role be left empty (the schema requires it)…
        #expect(
            result(of: modify(directory, structure, [(.delete, "aspasiePrincipalManager", [])]))?.resultCode
                == .objectClassViolation)
        // …then the handover (successor named in the same modify) makes the delete possible.
        try expectSuccess(modify(directory, structure, [(.replace, "aspasiePrincipalManager", [paul])]))
        try expectSuccess(delete(jean))
    }

    @Test func deletingOrRenamingAPersonKeepsTheStructuresValid() throws {
        let directory = try TestDirectory()
        let jean = "uid=jdupont-xt,\(peopleDN)"
        let paul = "uid=pmartin-xt,\(peopleDN)"
        let anne = "uid=alegrand-xt,\(peopleDN)"
        for (dn, identifier) in [(jean, "jdupont-xt"), (paul, "pmartin-xt"), (anne, "alegrand-xt")] {
            try expectSuccess(try directory.add(dn, Self.person(identifier), as: .root))
        }
        let first = "aspasieSiret=21950127800010,\(peopleDN)"
        let second = "aspasieSiret=21750001600019,\(peopleDN)"
        try expectSuccess(
            try directory.add(
                first,
                Self.structure(
                    "21950127800010",
                    [
                        ("aspasieSecondaryManager", [paul]), ("aspasieAttachedUser", [anne]),
                        ("aspasiePendingAttachment", [paul]),
                    ]), as: .root))
        try expectSuccess(
            try directory.add(
                second, Self.structure("21750001600019", [("aspasieAttachedUser", [paul, anne])]), as: .root))
        // D13: Paul leaves; every role of his goes with him, in the delete's transaction.
        try expectSuccess(directory.perform(.delRequest(ByteBuffer(string: paul)), as: .root).outcome)
        #expect(try stored(directory, first, "aspasieSecondaryManager").isEmpty)
        #expect(try stored(directory, first, "aspasiePendingAttachment").isEmpty)
        #expect(try stored(directory, second, "aspasieAttachedUser") == [anne])
        #expect(try directory.search(peopleDN, filter: "(aspasieStructureMember=\(paul))", as: .root).entries.isEmpty)
        // Renaming Jean (principal of both) and Anne carries every reference to the new names.
        let rename = ModifyDNRequest(
            entry: ByteBuffer(string: jean), newRDN: ByteBuffer(string: "uid=jean.dupont-xt"), deleteOldRDN: true)
        try expectSuccess(directory.perform(.modifyDNRequest(rename), as: .root).outcome)
        let renamed = "uid=jean.dupont-xt,\(peopleDN)"
        #expect(try stored(directory, first, "aspasiePrincipalManager") == [renamed])
        #expect(try stored(directory, second, "aspasiePrincipalManager") == [renamed])
        #expect(try stored(directory, first, "modifiersName") == [rootDNText])
    }

    @Test func theRulesCanBeTurnedOff() throws {
        let directory = try TestDirectory()
        var configuration = directory.service.configuration
        configuration.domainRules = .off
        let lenient = DirectoryService(store: directory.store, configuration: configuration)
        let request = AddRequest(
            entry: ByteBuffer(string: "uid=x,\(peopleDN)"),
            attributes: Self.person("x", [("mail", ["contact@x.fr"]), ("aspasiePopulation", ["OTHER"])])
                .map { PartialAttribute($0.0, $0.1) })
        try expectSuccess(
            lenient.perform(
                LDAPMessage(messageID: 1, protocolOp: .addRequest(request)), connection: .root,
                cancellation: OperationCancellation(), send: { _ in }))
    }
}

/// The demo directory (`annuaire demo-data`) keeps every rule: each of its entries is added through the server's
/// own write path, rules on.
@Suite("Domain rules and the demo directory")
struct DomainRuleDemoDataTests {
    @Test func everyGeneratedEntryPassesTheRules() throws {
        let directory = try TestDirectory()
        let generated = try DemoDataGenerator(
            options: DemoDataOptions(people: 400, seed: 11, suffix: "dc=example,dc=com")
        )
        .generateInMemory()
        var reader = LDIFReader(bytes: generated.ldif)
        var added = 0
        var refused: [String] = []
        while let record = try reader.next() {
            guard case .content(let entry) = record,
                !["dc=example,dc=com", peopleDN].contains(entry.dn.lowercased())
            else { continue }  // made by TestDirectory
            let attributes = entry.attributes.map {
                ($0.description, $0.values.map { String(decoding: $0, as: UTF8.self) })
            }
            let outcome = try directory.add(entry.dn, attributes, as: .root)
            if outcome.log.resultCode == .success {
                added += 1
            } else {
                refused.append("\(entry.dn): \(result(of: outcome).map { String(buffer: $0.diagnosticMessage) } ?? "")")
            }
        }
        #expect(refused.isEmpty, "\(refused.prefix(5))")
        #expect(added > 400)
    }
}

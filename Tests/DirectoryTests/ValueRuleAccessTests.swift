import AccessControl
import Directory
import Foundation
import LDAPProtocol
import NIOCore
import Schema
import Storage
import Testing

/// Value rules through DirectoryService (docs/access-control.md, "Value rules"): any user may add and delete
/// the businessCategory value `partner` of a person and only read the others; `private…` description values
/// are the person's own (hidden from others in results, filters and compares); `uid` values `admin-…` may be
/// neither given nor taken by a rename.
private let valueRules = """
    access to dn.children="ou=people,${suffix}" attrs=businessCategory val="partner"
        by users write
    access to dn.children="ou=people,${suffix}" attrs=businessCategory
        by users read
    access to dn.children="ou=people,${suffix}" attrs=description val.regex="^private"
        by self write
        by * none
    access to dn.children="ou=people,${suffix}" attrs=description
        by users write
    access to dn.children="ou=people,${suffix}" attrs=uid val.regex="^admin-"
        by users read
    access to *
        by users write
    """

private let bob = "uid=bob,\(peopleDN)"

@Suite("Value rules through DirectoryService")
struct ValueRuleAccessTests {
    private final class Fixture {
        let directory: TestDirectory
        let alice = ConnectionInfo.entry("alice")
        let bobSelf = ConnectionInfo.entry("bob")

        init(category: [String] = ["other"], description: [String] = ["public note", "private note"]) throws {
            directory = try TestDirectory(accessRules: valueRules)
            var changes: [(ModifyRequest.Change.Operation, String, [String])] = []
            if !category.isEmpty { changes.append((.replace, "businessCategory", category)) }
            if !description.isEmpty { changes.append((.replace, "description", description)) }
            try expectSuccess(modify(bob, changes, as: .root))
        }

        func modify(
            _ dn: String, _ changes: [(ModifyRequest.Change.Operation, String, [String])], as connection: ConnectionInfo
        ) -> OperationOutcome {
            let request = ModifyRequest(
                object: ByteBuffer(string: dn),
                changes: changes.map {
                    ModifyRequest.Change(operation: $0.0, modification: PartialAttribute($0.1, $0.2))
                })
            return directory.perform(.modifyRequest(request), as: connection).outcome
        }

        func code(_ changes: [(ModifyRequest.Change.Operation, String, [String])], as connection: ConnectionInfo? = nil)
            -> ResultCode
        {
            modify(bob, changes, as: connection ?? alice).log.resultCode
        }

        /// Bob's values of `name`, as the root DN reads them, sorted.
        func stored(_ name: String) throws -> [String] {
            let found = try directory.search(bob, scope: .baseObject, attributes: [name], as: .root)
            return (found.entries.first?.values(name) ?? []).sorted()
        }

        func compare(_ type: String, _ value: String, as connection: ConnectionInfo) -> ResultCode {
            directory.perform(
                .compareRequest(
                    CompareRequest(entry: ByteBuffer(string: bob), assertion: AttributeValueAssertion(type, value))),
                as: connection
            ).outcome.log.resultCode
        }
    }

    @Test("modify add: only the value the value rule grants")
    func addValues() throws {
        let fixture = try Fixture()
        #expect(fixture.code([(.add, "businessCategory", ["partner"])]) == .success)
        #expect(try fixture.stored("businessCategory") == ["other", "partner"])
        let refused = fixture.modify(bob, [(.add, "businessCategory", ["another"])], as: fixture.alice)
        #expect(refused.log.resultCode == .insufficientAccessRights)
        #expect(
            result(of: refused).map { String(buffer: $0.diagnosticMessage) }
                == "no add access to a value of 'businessCategory' of '\(bob)'")
        // One refused value refuses the whole request: nothing of it is applied.
        #expect(
            fixture.code([(.add, "businessCategory", ["second"]), (.add, "cn", ["Bobby"])]) == .insufficientAccessRights
        )
        #expect(
            fixture.code([(.add, "cn", ["Bobby"]), (.add, "businessCategory", ["PARTNER", "x"])])
                == .insufficientAccessRights)
        #expect(try fixture.stored("businessCategory") == ["other", "partner"])
        #expect(try fixture.stored("cn") == ["Person bob"])
    }

    @Test("modify delete: values listed, and the whole attribute as every current value")
    func deleteValues() throws {
        let fixture = try Fixture(category: ["other", "partner"])
        #expect(fixture.code([(.delete, "businessCategory", ["other"])]) == .insufficientAccessRights)
        // Compared under the type's equality rule (caseIgnoreMatch).
        #expect(fixture.code([(.delete, "businessCategory", [" PARTNER"])]) == .success)
        #expect(try fixture.stored("businessCategory") == ["other"])
        // Deleting the attribute deletes "other": refused.
        #expect(fixture.code([(.delete, "businessCategory", [])]) == .insufficientAccessRights)
        #expect(try fixture.stored("businessCategory") == ["other"])
        let only = try Fixture(category: ["partner"])
        #expect(only.code([(.delete, "businessCategory", [])]) == .success)
        #expect(try only.stored("businessCategory") == [])
    }

    @Test("modify replace: delete of every current value, then add of each new value")
    func replaceValues() throws {
        let fixture = try Fixture(category: ["other"])
        // Would delete "other".
        #expect(fixture.code([(.replace, "businessCategory", ["partner"])]) == .insufficientAccessRights)
        #expect(try fixture.stored("businessCategory") == ["other"])
        let partner = try Fixture(category: ["partner"])
        #expect(partner.code([(.replace, "businessCategory", ["Partner"])]) == .success)
        // Would add "other".
        #expect(partner.code([(.replace, "businessCategory", ["partner", "other"])]) == .insufficientAccessRights)
        #expect(partner.code([(.replace, "businessCategory", [])]) == .success)
        #expect(try partner.stored("businessCategory") == [])
        // No value concerned (the attribute is absent, none sent): the attribute rule decides (read).
        #expect(partner.code([(.replace, "businessCategory", [])]) == .insufficientAccessRights)
        // The attribute rule's read does not allow adding other values to an empty attribute either.
        #expect(partner.code([(.add, "businessCategory", ["other"])]) == .insufficientAccessRights)
    }

    @Test("the person's own private values: self may change them, others may not touch them")
    func selfValues() throws {
        let fixture = try Fixture()
        #expect(fixture.code([(.delete, "description", ["private note"])]) == .insufficientAccessRights)
        #expect(fixture.code([(.add, "description", ["Private too"])]) == .insufficientAccessRights)
        #expect(fixture.code([(.add, "description", ["shared"])]) == .success)
        // Replace would delete the private value.
        #expect(fixture.code([(.replace, "description", ["shared"])]) == .insufficientAccessRights)
        #expect(fixture.code([(.replace, "description", ["shared", "private two"])], as: fixture.bobSelf) == .success)
        #expect(try fixture.stored("description") == ["private two", "shared"])
    }

    @Test("compare: decided on the asserted value")
    func compare() throws {
        let fixture = try Fixture()
        #expect(fixture.compare("description", "public note", as: fixture.alice) == .compareTrue)
        #expect(fixture.compare("description", "nothing", as: fixture.alice) == .compareFalse)
        #expect(fixture.compare("description", "private note", as: fixture.alice) == .insufficientAccessRights)
        #expect(fixture.compare("description", "private other", as: fixture.alice) == .insufficientAccessRights)
        #expect(fixture.compare("description", "private note", as: fixture.bobSelf) == .compareTrue)
        #expect(fixture.compare("businessCategory", "other", as: fixture.alice) == .compareTrue)
    }

    @Test("add: every value of the new entry is checked")
    func addEntry() throws {
        let fixture = try Fixture()
        func person(_ uid: String, _ category: String) -> [(String, [String])] {
            [
                ("objectClass", ["inetOrgPerson"]), ("uid", [uid]), ("cn", [uid]), ("sn", ["S"]),
                ("businessCategory", [category]),
            ]
        }
        try expectSuccess(fixture.directory.add("uid=dan,\(peopleDN)", person("dan", "partner"), as: fixture.alice))
        let refused = try fixture.directory.add("uid=eve,\(peopleDN)", person("eve", "other"), as: fixture.alice)
        #expect(refused.log.resultCode == .insufficientAccessRights)
        let missing = try fixture.directory.search("uid=eve,\(peopleDN)", scope: .baseObject, as: .root)
        #expect(missing.result?.resultCode == .noSuchObject)
    }

    @Test("search: values a value rule hides are left out, and equality items on them are Undefined")
    func search() throws {
        let fixture = try Fixture()
        let seen = try fixture.directory.search(bob, scope: .baseObject, attributes: ["description"], as: fixture.alice)
        #expect(seen.entries.first?.values("description") == ["public note"])
        let own = try fixture.directory.search(
            bob, scope: .baseObject, attributes: ["description"], as: fixture.bobSelf)
        #expect(own.entries.first?.values("description")?.sorted() == ["private note", "public note"])
        func found(_ filter: String, as connection: ConnectionInfo) throws -> Int {
            try fixture.directory.search(bob, scope: .baseObject, filter: filter, attributes: ["1.1"], as: connection)
                .entries.count
        }
        #expect(try found("(description=public note)", as: fixture.alice) == 1)
        #expect(try found("(description=private note)", as: fixture.alice) == 0)
        #expect(try found("(!(description=private note))", as: fixture.alice) == 0)
        #expect(try found("(description=private note)", as: fixture.bobSelf) == 1)
        // Only an equality item names a value: the others are decided on the attribute (documented limit).
        #expect(try found("(description=priv*)", as: fixture.alice) == 1)
        // A person whose only description is private: no description at all for others.
        try expectSuccess(fixture.modify("uid=carol,\(peopleDN)", [(.add, "description", ["private only"])], as: .root))
        let carol = try fixture.directory.search(
            "uid=carol,\(peopleDN)", scope: .baseObject, attributes: ["description"], typesOnly: true, as: fixture.alice
        )
        #expect(carol.entries.first?.attributeNames == [])
    }

    @Test("modify DN: the new RDN's values need add, the old RDN's (deleteOldRDN) delete, where a value rule says")
    func rename() throws {
        let fixture = try Fixture()
        func rename(_ dn: String, _ rdn: String, deleteOld: Bool = true) -> ResultCode {
            let request = ModifyDNRequest(
                entry: ByteBuffer(string: dn), newRDN: ByteBuffer(string: rdn), deleteOldRDN: deleteOld)
            return fixture.directory.perform(.modifyDNRequest(request), as: fixture.alice).outcome.log.resultCode
        }
        #expect(rename(bob, "uid=admin-bob") == .insufficientAccessRights)
        #expect(rename(bob, "uid=robert") == .success)
        try expectSuccess(
            fixture.directory.add(
                "uid=admin-x,\(peopleDN)",
                [("objectClass", ["inetOrgPerson"]), ("uid", ["admin-x"]), ("cn", ["x"]), ("sn", ["x"])],
                as: .root))
        #expect(rename("uid=admin-x,\(peopleDN)", "uid=plain-x") == .insufficientAccessRights)
        // Keeping the old value: nothing deleted, nothing refused.
        #expect(rename("uid=admin-x,\(peopleDN)", "uid=plain-x", deleteOld: false) == .success)
    }

    @Test("default policy: a correspondent cannot make a person of the territory a correspondent (rule 6a)")
    func defaultPolicyKeepsCorrespondentsToTheRoot() throws {
        let partner = try PartnerDirectory()
        let chantal = try partner.bound(PartnerDirectory.chantal, "chantalpw")
        let promote: [(ModifyRequest.Change.Operation, String, [String])] = [
            (.add, "objectClass", ["aspasieCorrespondent"]), (.add, "aspasieTerritoryCodique", ["0750001"]),
        ]
        let refused = partner.modify(PartnerDirectory.dupont, promote, as: chantal)
        #expect(refused.log.resultCode == .insufficientAccessRights)
        // The rest of the person stays hers to change, object classes included.
        try expectSuccess(partner.modify(PartnerDirectory.dupont, [(.add, "objectClass", ["extensibleObject"])], as: chantal))
        try expectSuccess(partner.modify(PartnerDirectory.dupont, [(.delete, "objectClass", ["extensibleObject"])], as: chantal))
        // Nor can she create one.
        var attributes = PartnerDirectory.person("new-xt", codique: "0950001")
        attributes[0].1 += ["aspasieCorrespondent"]
        attributes.append(("aspasieTerritoryCodique", ["0750001"]))
        let created = try partner.directory.add("uid=new-xt,\(peopleDN)", attributes, as: chantal)
        #expect(created.log.resultCode == .insufficientAccessRights)
        try expectSuccess(
            partner.directory.add("uid=new-xt,\(peopleDN)", PartnerDirectory.person("new-xt", codique: "0950001"), as: chantal))
        // The root DN still can; then the portal reads the class, the person too.
        try expectSuccess(partner.modify(PartnerDirectory.dupont, promote, as: .root))
        let portal = try partner.bound(PartnerDirectory.portal, "portalpw")
        let seen = try partner.directory.search(
            PartnerDirectory.dupont, scope: .baseObject, attributes: ["objectClass"], as: portal)
        #expect(seen.entries.first?.values("objectClass")?.contains("aspasieCorrespondent") == true)
        // And she may not take it away either.
        let demote = partner.modify(PartnerDirectory.dupont, [(.delete, "objectClass", ["aspasieCorrespondent"])], as: chantal)
        #expect(demote.log.resultCode == .insufficientAccessRights)
    }
}

import Directory
import LDAPProtocol
import NIOCore
import Testing

@Suite("Writes and Compare")
struct WriteTests {
    func modify(_ directory: TestDirectory, _ dn: String, _ changes: [(ModifyRequest.Change.Operation, String, [String])],
                controls: [LDAPControl] = [], as connection: ConnectionInfo = .root) -> OperationOutcome {
        let request = ModifyRequest(
            object: ByteBuffer(string: dn),
            changes: changes.map { .init(operation: $0.0, modification: PartialAttribute($0.1, $0.2)) })
        return directory.perform(.modifyRequest(request), controls: controls, as: connection).outcome
    }

    func compare(_ directory: TestDirectory, _ dn: String, _ type: String, _ value: String,
                 as connection: ConnectionInfo = .anonymousLoopback) -> ResultCode {
        directory.perform(
            .compareRequest(CompareRequest(entry: ByteBuffer(string: dn), assertion: AttributeValueAssertion(type, value))),
            as: connection).outcome.log.resultCode
    }

    @Test("writes under the default policy: anonymous strongerAuthRequired, hidden entries noSuchObject, others insufficientAccessRights")
    func policy() throws {
        let directory = try TestDirectory(accessRules: try DefaultPolicy.text())
        let anonymous = try directory.add("uid=dan,\(peopleDN)", [("objectClass", ["inetOrgPerson"]), ("uid", ["dan"]), ("cn", ["D"]), ("sn", ["D"])], as: .anonymousLoopback)
        #expect(anonymous.log.resultCode == .strongerAuthRequired)
        #expect(modify(directory, "uid=bob,\(peopleDN)", [(.replace, "cn", ["X"])], as: .anonymousLoopback).log.resultCode == .strongerAuthRequired)
        // Alice may not know that bob exists: the same answer as for a missing entry.
        let hidden = modify(directory, "uid=bob,\(peopleDN)", [(.replace, "cn", ["X"])], as: .entry("alice"))
        #expect(hidden.log.resultCode == .noSuchObject)
        #expect(result(of: hidden)?.matchedDN == ByteBuffer())
        #expect(modify(directory, "uid=nobody,\(peopleDN)", [(.replace, "cn", ["X"])], as: .entry("alice")).log.resultCode == .noSuchObject)
        #expect(modify(directory, "uid=alice,\(peopleDN)", [(.replace, "cn", ["Alice L"])], as: .entry("alice")).log.resultCode == .insufficientAccessRights)
        #expect(modify(directory, "uid=alice,\(peopleDN)", [(.replace, "pwdReset", ["TRUE"])], as: .entry("alice")).log.resultCode == .insufficientAccessRights)
        let delete = directory.perform(.delRequest(ByteBuffer(string: "uid=bob,\(peopleDN)")), as: .entry("bob")).outcome
        #expect(delete.log.resultCode == .insufficientAccessRights)
    }

    @Test("add sets the operational attributes; NO-USER-MODIFICATION refused; errors of the store")
    func add() throws {
        let clock = ManualClock()
        let directory = try TestDirectory(clock: clock)
        clock.advance(seconds: 3600)
        let person = [("objectClass", ["inetOrgPerson"]), ("uid", ["dan"]), ("cn", ["D"]), ("sn", ["D"])]
        try expectSuccess(try directory.add("uid=dan,\(peopleDN)", person, as: .root))
        let found = try directory.search("uid=dan,\(peopleDN)", scope: .baseObject, attributes: ["+"])
        let entry = try #require(found.entries.first)
        #expect(entry.values("createTimestamp") == ["20250102040405Z"])
        #expect(entry.values("modifyTimestamp") == ["20250102040405Z"])
        #expect(entry.values("modifiersName") == [rootDNText])
        #expect(entry.values("structuralObjectClass") == ["inetOrgPerson"])
        #expect(try directory.add("uid=dan,\(peopleDN)", person, as: .root).log.resultCode == .entryAlreadyExists)
        let uuid = person + [("entryUUID", ["11111111-2222-4333-8444-555555555555"])]
        #expect(try directory.add("uid=eve,\(peopleDN)", uuid, as: .root).log.resultCode == .constraintViolation)
        let orphan = try directory.add("uid=dan,ou=nowhere,dc=example,dc=com", person, as: .root)
        #expect(orphan.log.resultCode == .noSuchObject)
        #expect(result(of: orphan).map { String(buffer: $0.matchedDN) } == "dc=example,dc=com")
        #expect(try directory.add("uid=f,\(peopleDN)", [("objectClass", ["inetOrgPerson"]), ("uid", ["f"])], as: .root).log.resultCode == .objectClassViolation)
    }

    @Test("modify: add, delete, replace, increment, all or nothing, modifyTimestamp updated")
    func modifyOperations() throws {
        let clock = ManualClock()
        let directory = try TestDirectory(clock: clock)
        let dn = "uid=bob,\(peopleDN)"
        clock.advance(seconds: 60)
        #expect(modify(directory, dn, [(.add, "mail", ["b@example.com"]), (.replace, "employeeNumber", ["41"]), (.increment, "employeeNumber", ["1"]), (.delete, "cn", ["Person bob"]), (.add, "cn", ["Bob"])]).log.resultCode == .success)
        let entry = try #require(try directory.search(dn, scope: .baseObject, attributes: ["*", "modifyTimestamp", "createTimestamp"], as: .root).entries.first)
        #expect(entry.values("employeeNumber") == ["42"])
        #expect(entry.values("cn") == ["Bob"])
        #expect(entry.values("modifyTimestamp") == ["20250102030505Z"])
        #expect(entry.values("createTimestamp") == ["20250102030405Z"])
        let failed = modify(directory, dn, [(.replace, "mail", ["new@example.com"]), (.delete, "description", [])])
        #expect(failed.log.resultCode == .noSuchAttribute)
        let after = try #require(try directory.search(dn, scope: .baseObject, as: .root).entries.first)
        #expect(after.values("mail") == ["b@example.com"])
        #expect(modify(directory, dn, [(.replace, "createTimestamp", ["20200101000000Z"])]).log.resultCode == .constraintViolation)
        #expect(modify(directory, dn, [(.replace, "noSuchType", ["x"])]).log.resultCode == .undefinedAttributeType)
        #expect(modify(directory, "uid=nobody,\(peopleDN)", [(.replace, "cn", ["x"])]).log.resultCode == .noSuchObject)
    }

    @Test("modify: the structural object class cannot change (objectClassModsProhibited), auxiliaries can")
    func structuralClassIsFixed() throws {
        let directory = try TestDirectory()
        let dn = "uid=bob,\(peopleDN)"
        let changed = modify(directory, dn, [(.replace, "objectClass", ["top", "account"])])
        #expect(changed.log.resultCode == .objectClassModsProhibited)
        let entry = try #require(try directory.search(dn, scope: .baseObject, attributes: ["objectClass"], as: .root).entries.first)
        #expect((entry.values("objectClass") ?? []).contains { $0.lowercased() == "inetorgperson" })
        #expect(modify(directory, dn, [(.add, "objectClass", ["extensibleObject"])]).log.resultCode == .success)
    }

    @Test("delete and modifyDN with newSuperior and deleteOldRDN")
    func deleteAndRename() throws {
        let directory = try TestDirectory()
        let nonLeaf = directory.perform(.delRequest(ByteBuffer(string: peopleDN)), as: .root).outcome
        #expect(nonLeaf.log.resultCode == .notAllowedOnNonLeaf)
        try expectSuccess(directory.perform(.delRequest(ByteBuffer(string: "uid=carol,\(peopleDN)")), as: .root).outcome)
        #expect(try directory.search("uid=carol,\(peopleDN)").result?.resultCode == .noSuchObject)
        try expectSuccess(try directory.add("ou=staff,dc=example,dc=com", [("objectClass", ["organizationalUnit"]), ("ou", ["staff"])], as: .root))
        let rename = ModifyDNRequest(
            entry: ByteBuffer(string: "uid=bob,\(peopleDN)"), newRDN: ByteBuffer(string: "uid=robert"), deleteOldRDN: true,
            newSuperior: ByteBuffer(string: "ou=staff,dc=example,dc=com"))
        let outcome = directory.perform(.modifyDNRequest(rename), as: .root).outcome
        try expectSuccess(outcome)
        #expect(outcome.log.operation == "MODRDN")
        let moved = try #require(try directory.search("uid=robert,ou=staff,dc=example,dc=com", scope: .baseObject, attributes: ["uid", "modifiersName"]).entries.first)
        #expect(moved.values("uid") == ["robert"])
        #expect(moved.values("modifiersName") == [rootDNText])
        let anonymous = directory.perform(.modifyDNRequest(rename), as: .anonymousLoopback).outcome
        #expect(anonymous.log.resultCode == .strongerAuthRequired)
    }

    @Test("compare: true, false, noSuchAttribute, undefinedAttributeType, inappropriateMatching, noSuchObject")
    func compareResults() throws {
        let directory = try TestDirectory()
        let bob = "uid=bob,\(peopleDN)"
        #expect(compare(directory, bob, "cn", "PERSON  BOB") == .compareTrue)
        #expect(compare(directory, bob, "2.5.4.3", "someone") == .compareFalse)
        #expect(compare(directory, bob, "mail", "x") == .noSuchAttribute)
        #expect(compare(directory, bob, "fooBar", "x") == .undefinedAttributeType)
        #expect(compare(directory, bob, "jpegPhoto", "x") == .inappropriateMatching)
        #expect(compare(directory, "uid=zed,\(peopleDN)", "cn", "x") == .noSuchObject)
        #expect(compare(directory, bob, "entryDN", bob) == .compareTrue)
        #expect(compare(directory, "uid=alice,\(peopleDN)", "userPassword", "alicepw") == .insufficientAccessRights)
        // Compare matches stored values as they are (alice's was hashed on add; bob's {SSHA} came pre-hashed).
        #expect(compare(directory, "uid=alice,\(peopleDN)", "userPassword", "alicepw", as: .root) == .compareFalse)
        #expect(compare(directory, bob, "userPassword", "{SSHA}lHFzXul4wnzRItssVcTnvXWRjNgBAgMEBQYHCA==", as: .root) == .compareTrue)
    }
}

import Directory
import LDAPProtocol
import NIOCore
import Testing

@Suite("Controls and extended operations")
struct ControlAndExtendedTests {
    func paged(_ size: Int32, _ cookie: ByteBuffer = ByteBuffer()) -> LDAPControl {
        PagedResultsControl(size: size, cookie: cookie).control()
    }

    func cookie(_ controls: [LDAPControl]) throws -> ByteBuffer {
        let control = try #require(controls.first { $0.oid == PagedResultsControl.oid })
        return try PagedResultsControl(controlValue: control.value).cookie
    }

    @Test("paged results: pages cover every entry once; a used or unknown cookie is a protocolError")
    func pagedResults() throws {
        let directory = try TestDirectory(people: 7)
        let connection = ConnectionInfo.root
        var seen: [String] = []
        var next = ByteBuffer()
        var pages = 0
        var firstCookie = ByteBuffer()
        repeat {
            let page = try directory.search(peopleDN, scope: .singleLevel, controls: [paged(3, next)], as: connection)
            #expect(page.result?.resultCode == .success)
            #expect(page.entries.count <= 3)
            seen += page.entries.map(\.dn)
            next = try cookie(page.controls)
            if pages == 0 { firstCookie = next }
            pages += 1
        } while next.readableBytes > 0 && pages < 10
        #expect(pages == 4)
        #expect(seen.count == 10 && Set(seen).count == 10)
        let replay = try directory.search(peopleDN, scope: .singleLevel, controls: [paged(3, firstCookie)], as: connection)
        #expect(replay.result?.resultCode == .protocolError)
        let bogus = try directory.search(peopleDN, scope: .singleLevel, controls: [paged(3, ByteBuffer(string: "garbage"))], as: connection)
        #expect(bogus.result?.resultCode == .protocolError)
        // Another connection cannot use this one's cookie.
        let first = try directory.search(peopleDN, scope: .singleLevel, controls: [paged(2)], as: connection)
        let stolen = try directory.search(peopleDN, scope: .singleLevel, controls: [paged(2, try cookie(first.controls))], as: .root)
        #expect(stolen.result?.resultCode == .protocolError)
        // Size 0 with the cookie abandons: the cookie is gone afterwards.
        let abandon = try directory.search(peopleDN, scope: .singleLevel, controls: [paged(0, try cookie(first.controls))], as: connection)
        #expect(abandon.result?.resultCode == .success)
        #expect(abandon.entries.isEmpty)
        let after = try directory.search(peopleDN, scope: .singleLevel, controls: [paged(2, try cookie(first.controls))], as: connection)
        #expect(after.result?.resultCode == .protocolError)
        #expect(connection.pagedSearches.count == 0)
    }

    @Test("paged results re-read entries: one deleted between pages is not sent")
    func pagedRereads() throws {
        let directory = try TestDirectory(people: 3)
        let connection = ConnectionInfo.root
        let first = try directory.search(peopleDN, scope: .singleLevel, attributes: ["uid"], controls: [paged(2)], as: connection)
        let sent = Set(first.entries.map(\.dn))
        let all = try directory.search(peopleDN, scope: .singleLevel, as: .root).entries.map(\.dn)
        let victim = try #require(all.first { !sent.contains($0) })
        try expectSuccess(directory.perform(.delRequest(ByteBuffer(string: victim)), as: .root).outcome)
        var rest: [String] = []
        var next = try cookie(first.controls)
        while next.readableBytes > 0 {
            let page = try directory.search(peopleDN, scope: .singleLevel, attributes: ["uid"], controls: [paged(2, next)], as: connection)
            rest += page.entries.map(\.dn)
            next = try cookie(page.controls)
        }
        #expect(!rest.contains(victim))
        #expect(sent.count + rest.count == 5)
    }

    @Test("assertion control on search (base), modify and delete; unknown critical control")
    func assertion() throws {
        let directory = try TestDirectory()
        let failing = AssertionControl(assertion: try Filter(string: "(ou=nope)")).control()
        let passing = AssertionControl(assertion: try Filter(string: "(ou=people)")).control()
        #expect(try directory.search(peopleDN, scope: .singleLevel, controls: [failing]).result?.resultCode == .assertionFailed)
        // Applied to the base only: the children do not match (ou=people) yet are returned.
        #expect(try directory.search(peopleDN, scope: .singleLevel, controls: [passing]).entries.count == 3)
        let bob = "uid=bob,\(peopleDN)"
        let change = ModifyRequest(object: ByteBuffer(string: bob), changes: [.init(operation: .replace, modification: PartialAttribute("sn", ["New"]))])
        let guardFalse = AssertionControl(assertion: try Filter(string: "(sn=Other)")).control()
        #expect(directory.perform(.modifyRequest(change), controls: [guardFalse], as: .root).outcome.log.resultCode == .assertionFailed)
        let guardTrue = AssertionControl(assertion: try Filter(string: "(sn=martin)")).control()
        #expect(directory.perform(.modifyRequest(change), controls: [guardTrue], as: .root).outcome.log.resultCode == .success)
        #expect(directory.perform(.delRequest(ByteBuffer(string: bob)), controls: [guardTrue], as: .root).outcome.log.resultCode == .assertionFailed)
        let unknownCritical = LDAPControl("1.2.3.4", criticality: true)
        #expect(try directory.search(peopleDN, controls: [unknownCritical]).result?.resultCode == .unavailableCriticalExtension)
        #expect(try directory.search(peopleDN, controls: [LDAPControl("1.2.3.4")]).result?.resultCode == .success)
        let managed = LDAPControl("2.16.840.1.113730.3.4.2", criticality: true)
        #expect(try directory.search(peopleDN, controls: [managed]).result?.resultCode == .success)
    }

    @Test("pre-read and post-read return the entry before and after")
    func readEntry() throws {
        let directory = try TestDirectory()
        let bob = "uid=bob,\(peopleDN)"
        let change = ModifyRequest(object: ByteBuffer(string: bob), changes: [.init(operation: .replace, modification: PartialAttribute("cn", ["Bobby"]))])
        let pre = ReadEntryControl(kind: .preRead, attributes: [ByteBuffer(string: "cn")]).requestControl()
        let post = ReadEntryControl(kind: .postRead, attributes: [ByteBuffer(string: "cn"), ByteBuffer(string: "modifiersName")]).requestControl()
        let outcome = directory.perform(.modifyRequest(change), controls: [pre, post], as: .root).outcome
        try expectSuccess(outcome)
        let controls = try #require(outcome.response?.controls)
        let before = try ReadEntryControl.entry(fromResponse: try #require(controls.first { $0.oid == ReadEntryControl.Kind.preRead.rawValue }))
        let after = try ReadEntryControl.entry(fromResponse: try #require(controls.first { $0.oid == ReadEntryControl.Kind.postRead.rawValue }))
        #expect(before.values("cn") == ["Person bob"])
        #expect(after.values("cn") == ["Bobby"])
        #expect(after.values("modifiersName") == [rootDNText])
        let addPost = ReadEntryControl(kind: .postRead, attributes: [ByteBuffer(string: "entryUUID")]).requestControl()
        let added = try directory.add("ou=x,dc=example,dc=com", [("objectClass", ["organizationalUnit"]), ("ou", ["x"])], controls: [addPost], as: .root)
        let addedEntry = try ReadEntryControl.entry(fromResponse: try #require(added.response?.controls.first))
        #expect(addedEntry.values("entryUUID")?.first?.count == 36)
    }

    @Test("Who am I? and Password Modify")
    func extended() throws {
        let directory = try TestDirectory(accessRules: try DefaultPolicy.text())
        func exop(_ request: ExtendedRequest, as connection: ConnectionInfo) -> (OperationOutcome, ExtendedResponse?) {
            let outcome = directory.perform(.extendedRequest(request), as: connection).outcome
            guard case .extendedResponse(let response) = outcome.response?.protocolOp else { return (outcome, nil) }
            return (outcome, response)
        }
        #expect(exop(WhoAmI.request, as: .anonymousLoopback).1?.value.map { String(buffer: $0) } == "")
        #expect(exop(WhoAmI.request, as: .entry("alice")).1?.value.map { String(buffer: $0) } == "dn:uid=alice,\(peopleDN)")
        #expect(exop(ExtendedRequest(name: ByteBuffer(string: "1.2.3.4")), as: .root).0.log.resultCode == .protocolError)
        #expect(exop(StartTLS.request, as: .root).0.log.resultCode == .protocolError)
        let anonymous = PasswordModifyRequest(newPassword: ByteBuffer(string: "x")).request
        #expect(exop(anonymous, as: .anonymousLoopback).0.log.resultCode == .strongerAuthRequired)
        let wrongOld = PasswordModifyRequest(oldPassword: ByteBuffer(string: "bad"), newPassword: ByteBuffer(string: "n")).request
        #expect(exop(wrongOld, as: .entry("alice")).0.log.resultCode == .unwillingToPerform)
        let other = PasswordModifyRequest(userIdentity: ByteBuffer(string: "uid=bob,\(peopleDN)"), newPassword: ByteBuffer(string: "n")).request
        // Under the default policy alice may not know that bob exists: the answer for a missing entry.
        #expect(exop(other, as: .entry("alice")).0.log.resultCode == .noSuchObject)
        let own = PasswordModifyRequest(oldPassword: ByteBuffer(string: "alicepw"), newPassword: ByteBuffer(string: "n3w-pass")).request
        #expect(exop(own, as: .entry("alice")).0.log.resultCode == .success)
        let bind = { (password: String) in
            directory.perform(.bindRequest(BindRequest(name: ByteBuffer(string: "uid=alice,\(peopleDN)"), authentication: .simple(ByteBuffer(string: password)))), as: .anonymousLoopback).outcome.log.resultCode
        }
        #expect(bind("n3w-pass") == .success)
        #expect(bind("alicepw") == .invalidCredentials)
        let stored = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject, attributes: ["userPassword"], as: .root)
        #expect(stored.entries.first?.values("userPassword")?.first?.hasPrefix("{ARGON2}$argon2id$") == true)
        let generate = PasswordModifyRequest(userIdentity: ByteBuffer(string: "uid=carol,\(peopleDN)")).request
        let (outcome, response) = exop(generate, as: .root)
        try expectSuccess(outcome)
        let generated = try #require(try PasswordModifyResponse(responseValue: response?.value).generatedPassword)
        let carol = directory.perform(.bindRequest(BindRequest(name: ByteBuffer(string: "uid=carol,\(peopleDN)"), authentication: .simple(generated))), as: .anonymousLoopback).outcome
        #expect(carol.log.resultCode == .success)
    }
}

@testable import Directory
import Foundation
import LDAPProtocol
import NIOCore
import Schema
import Storage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The audit trail on a real store: one JSON line per write, done or refused, never a value; a trail that cannot
/// be written fails the write (mode `fail`) and leaves the store as it was.
@Suite("Audit log")
struct AuditLogTests {
    /// A test directory whose writes go through a second service recording to `log`.
    final class Fixture {
        let directory: TestDirectory
        let service: DirectoryService
        let path: String
        private var nextID: Int32 = 100

        init(log makeLog: (String) throws -> AuditLog) throws {
            directory = try TestDirectory()
            path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).log").path
            var configuration = directory.service.configuration
            configuration.auditLog = try makeLog(path)
            service = DirectoryService(store: directory.store, configuration: configuration)
        }

        convenience init(mode: AuditLog.FailureMode = .fail) throws {
            try self.init { path in try AuditLog(destination: .file(path), failureMode: mode, synchronizes: true) }
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func perform(_ operation: ProtocolOperation, as connection: ConnectionInfo = .root) -> OperationOutcome {
            nextID += 1
            return service.perform(
                LDAPMessage(messageID: nextID, protocolOp: operation), connection: connection,
                cancellation: OperationCancellation(), send: { _ in })
        }

        func add(_ dn: String, _ attributes: [(String, [String])], as connection: ConnectionInfo = .root) -> OperationOutcome {
            perform(.addRequest(AddRequest(entry: ByteBuffer(string: dn), attributes: attributes.map { PartialAttribute($0.0, $0.1) })), as: connection)
        }

        func modify(_ dn: String, _ changes: [(ModifyRequest.Change.Operation, String, [String])], as connection: ConnectionInfo = .root)
            -> OperationOutcome
        {
            let request = ModifyRequest(
                object: ByteBuffer(string: dn), changes: changes.map { .init(operation: $0.0, modification: PartialAttribute($0.1, $0.2)) })
            return perform(.modifyRequest(request), as: connection)
        }

        func passwordModify(user: String?, old: String? = nil, new: String?, as connection: ConnectionInfo) -> OperationOutcome {
            let request = PasswordModifyRequest(
                userIdentity: user.map { ByteBuffer(string: $0) }, oldPassword: old.map { ByteBuffer(string: $0) },
                newPassword: new.map { ByteBuffer(string: $0) })
            return perform(.extendedRequest(request.request), as: connection)
        }

        var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

        /// The lines written so far, parsed.
        func lines() throws -> [[String: Any]] {
            try text.split(separator: "\n").map { line in
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw TestFailure("not a JSON object: \(line)")
                }
                return object
            }
        }

        func exists(_ dn: String) throws -> Bool { try directory.store.entry(dn: try DistinguishedName(dn)) != nil }
    }

    static let person: [(String, [String])] = [
        ("objectClass", ["inetOrgPerson"]), ("uid", ["dan"]), ("cn", ["Dan"]), ("sn", ["D"]),
        ("userPassword", ["Add-Time-Secret-1"]),
    ]

    @Test("each write, done or refused, is one line with its fields; the file is created 0600")
    func lines() throws {
        let fixture = try Fixture()
        let dan = "uid=dan,\(peopleDN)"
        try expectSuccess(fixture.add(dan, Self.person))
        try expectSuccess(fixture.modify(dan, [(.replace, "cn", ["Daniel"]), (.add, "mail", ["dan@example.com"]), (.replace, "CN", ["Dan"])]))
        let rename = ModifyDNRequest(entry: ByteBuffer(string: dan), newRDN: ByteBuffer(string: "uid=daniel"), deleteOldRDN: true)
        try expectSuccess(fixture.perform(.modifyDNRequest(rename)))
        #expect(fixture.add(dan, Self.person, as: .anonymousLoopback).log.resultCode == .strongerAuthRequired)
        #expect(fixture.add("uid=alice,\(peopleDN)", Self.person).log.resultCode == .entryAlreadyExists)
        try expectSuccess(fixture.perform(.delRequest(ByteBuffer(string: "uid=daniel,\(peopleDN)"))))
        // Searches, compares and Who am I? are not writes.
        _ = fixture.perform(.extendedRequest(WhoAmI.request))

        let lines = try fixture.lines()
        try #require(lines.count == 6)
        #expect(lines.map { $0["op"] as? String } == ["add", "modify", "modifyDN", "add", "add", "delete"])
        #expect(lines.map { $0["result"] as? Int } == [0, 0, 0, 8, 68, 0])
        #expect(lines.map { $0["resultName"] as? String } == [
            "success", "success", "success", "strongerAuthRequired", "entryAlreadyExists", "success",
        ])
        let add = lines[0]
        #expect(add["time"] as? String == "2025-01-02T03:04:05.000Z")
        #expect(add["conn"] as? Int == 1)
        #expect(add["msgid"] as? Int == 101)
        #expect(add["peer"] as? String == "127.0.0.1:40000")
        #expect(add["bindDN"] as? String == rootDNText)
        #expect(add["dn"] as? String == dan)
        #expect(add["attributes"] as? [String] == ["objectClass", "uid", "cn", "sn", "userPassword"])
        #expect(add["newDN"] == nil)
        #expect(lines[1]["attributes"] as? [String] == ["cn", "mail"])
        #expect(lines[2]["newDN"] as? String == "uid=daniel,\(peopleDN)")
        #expect(lines[2]["attributes"] as? [String] == ["uid"])
        #expect(lines[3]["bindDN"] as? String == "")
        #expect(lines[5]["attributes"] as? [String] == [])

        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test("password change and reset are recorded; no password value ever reaches the file")
    func passwords() throws {
        let fixture = try Fixture()
        try expectSuccess(fixture.add("uid=dan,\(peopleDN)", Self.person))
        try expectSuccess(fixture.modify("uid=dan,\(peopleDN)", [(.replace, "userPassword", ["Modify-Time-Secret-2"])]))
        try expectSuccess(fixture.passwordModify(user: nil, old: "alicepw", new: "Changed-Secret-3", as: .entry("alice")))
        let wrongOld = fixture.passwordModify(user: nil, old: "not-alicepw", new: "Refused-Secret-4", as: .entry("alice"))
        #expect(wrongOld.log.resultCode == .unwillingToPerform)
        try expectSuccess(fixture.passwordModify(user: "dn:uid=bob,\(peopleDN)", new: "Reset-Secret-5", as: .root))
        let generated = fixture.passwordModify(user: "uid=carol,\(peopleDN)", new: nil, as: .root)
        try expectSuccess(generated)

        let lines = try fixture.lines()
        #expect(lines.map { $0["op"] as? String } == ["add", "modify", "passwordChange", "passwordChange", "passwordReset", "passwordReset"])
        #expect(lines.map { $0["result"] as? Int } == [0, 0, 0, 53, 0, 0])
        #expect(lines[2]["dn"] as? String == "uid=alice,\(peopleDN)")
        #expect(lines[2]["bindDN"] as? String == "uid=alice,\(peopleDN)")
        #expect(lines[4]["dn"] as? String == "uid=bob,\(peopleDN)")
        #expect(lines[4]["attributes"] as? [String] == ["userPassword"])
        let text = fixture.text
        for secret in ["Add-Time-Secret-1", "Modify-Time-Secret-2", "Changed-Secret-3", "Refused-Secret-4", "Reset-Secret-5", "alicepw", "{SSHA}"] {
            #expect(!text.contains(secret), "\(secret) is in the audit log")
        }
        if case .extendedResponse(let response) = generated.response?.protocolOp, let value = response.value {
            // The generated password is in the response's BER, never in the trail.
            let tail = String(decoding: Array(buffer: value).suffix(16), as: UTF8.self)
            #expect(!text.contains(tail))
        }
    }

    @Test("a trail that cannot be written fails the write with unavailable and leaves the store unchanged")
    func failingSink() throws {
        let fixture = try Fixture { path in
            // A descriptor open for reading only: every write(2) fails with EBADF.
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw TestFailure("cannot open \(path)") }
            return AuditLog(descriptor: descriptor, failureMode: .fail)
        }
        let dan = "uid=dan,\(peopleDN)"
        let add = fixture.add(dan, Self.person)
        #expect(add.log.resultCode == .unavailable)
        #expect(result(of: add).map { String(buffer: $0.diagnosticMessage) } == "the audit trail cannot be written: the change was not made")
        #expect(try !fixture.exists(dan))
        let modify = fixture.modify("uid=alice,\(peopleDN)", [(.replace, "cn", ["Changed"])])
        #expect(modify.log.resultCode == .unavailable)
        let alice = try #require(try fixture.directory.store.entry(dn: try DistinguishedName("uid=alice,\(peopleDN)")))
        #expect(alice.attributes.first { $0.description.type == "cn" }?.values == [Array("Person alice".utf8)])
        let delete = fixture.perform(.delRequest(ByteBuffer(string: "uid=carol,\(peopleDN)")))
        #expect(delete.log.resultCode == .unavailable)
        #expect(try fixture.exists("uid=carol,\(peopleDN)"))
        let rename = ModifyDNRequest(entry: ByteBuffer(string: "uid=carol,\(peopleDN)"), newRDN: ByteBuffer(string: "uid=caroline"), deleteOldRDN: true)
        #expect(fixture.perform(.modifyDNRequest(rename)).log.resultCode == .unavailable)
        #expect(try fixture.exists("uid=carol,\(peopleDN)"))
        let reset = fixture.passwordModify(user: "uid=bob,\(peopleDN)", new: "Not-Stored-6", as: .root)
        #expect(reset.log.resultCode == .unavailable)
        // bob's {SSHA} of "secret" still verifies.
        let bind = BindRequest(name: ByteBuffer(string: "uid=bob,\(peopleDN)"), authentication: .simple(ByteBuffer(string: "secret")))
        #expect(fixture.perform(.bindRequest(bind), as: .anonymousLoopback).log.resultCode == .success)
        // Refusals still answer with their own code.
        #expect(fixture.add(dan, Self.person, as: .anonymousLoopback).log.resultCode == .strongerAuthRequired)
    }

    @Test("mode continue: the write goes on without its line")
    func continueMode() throws {
        let fixture = try Fixture { path in
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw TestFailure("cannot open \(path)") }
            return AuditLog(descriptor: descriptor, failureMode: .continue)
        }
        try expectSuccess(fixture.add("uid=dan,\(peopleDN)", Self.person))
        #expect(try fixture.exists("uid=dan,\(peopleDN)"))
    }

    @Test("client text cannot break a line: DNs with quotes, backslashes and newlines are escaped")
    func escaping() throws {
        let fixture = try Fixture()
        let crafted = "cn=x\"}\n{\"op\":\"forged\\,dc=example,dc=com"
        _ = fixture.add(crafted, Self.person)
        _ = fixture.perform(.delRequest(ByteBuffer(string: "cn=\u{1}\u{2028},dc=example,dc=com")))
        let lines = try fixture.lines()
        try #require(lines.count == 2)
        #expect(lines[0]["dn"] as? String == crafted)
        #expect(lines[0]["op"] as? String == "add")
        #expect(lines[1]["dn"] as? String == "cn=\u{1}\u{2028},dc=example,dc=com")
        #expect(fixture.text.split(separator: "\n").count == 2)
    }

    @Test("a success line is written once however often the transaction runs; a failed commit gets a second line")
    func trailLifecycle() throws {
        let fixture = try Fixture()
        let record = AuditRecord(
            microsecondsSince1970: 0, connectionID: 5, messageID: 9, peer: "127.0.0.1:1", bindDN: rootDNText,
            operation: .delete, targetDN: "uid=x", attributes: [], resultCode: .success)
        let failed = OperationOutcome(response: nil, log: AccessLogFields(operation: "DEL", dn: "uid=x", resultCode: .other))
        let log = try #require(fixture.service.configuration.auditLog)
        let trail = AuditTrail(log: log, record: record, clock: fixture.directory.clock.clock, logger: fixture.service.logger)
        let beforeCommit = try #require(trail.beforeCommit)
        try beforeCommit()
        try beforeCommit()  // the store ran the transaction again after growing the map
        _ = trail.refused(failed)  // the commit failed
        _ = trail.refused(failed)  // reported once
        let committed = AuditTrail(log: log, record: record, clock: fixture.directory.clock.clock, logger: fixture.service.logger)
        let commit = try #require(committed.beforeCommit)
        try commit()
        committed.markCommitted()
        _ = committed.refused(failed)  // a failure after the commit (post-read) does not undo the change
        let lines = try fixture.lines()
        #expect(lines.map { $0["result"] as? Int } == [0, 80, 0])
        #expect(lines.map { $0["msgid"] as? Int } == [9, 9, 9])
        let off = AuditTrail(log: nil, record: record, clock: fixture.directory.clock.clock, logger: fixture.service.logger)
        #expect(off.beforeCommit == nil)
    }

    @Test("the record's JSON line: fixed key order, UTC to the millisecond")
    func recordLine() {
        let record = AuditRecord(
            microsecondsSince1970: 1_735_787_045_123_999, connectionID: 12, messageID: 3, peer: "[::1]:389",
            bindDN: "cn=admin", operation: .modifyDN, targetDN: "uid=a", attributes: ["uid"], newDN: "uid=b",
            resultCode: .success)
        #expect(
            record.jsonLine
                == "{\"time\":\"2025-01-02T03:04:05.123Z\",\"conn\":12,\"msgid\":3,\"peer\":\"[::1]:389\","
                + "\"bindDN\":\"cn=admin\",\"op\":\"modifyDN\",\"dn\":\"uid=a\",\"newDN\":\"uid=b\",\"attributes\":[\"uid\"],"
                + "\"result\":0,\"resultName\":\"success\"}\n")
    }
}

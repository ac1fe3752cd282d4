import Directory
import LDAPProtocol
import NIOCore
import Testing

@Suite("Bind")
struct BindTests {
    func bind(_ directory: TestDirectory, _ dn: String, _ password: String, version: Int = 3,
              connection: ConnectionInfo = .anonymousLoopback) -> OperationOutcome {
        directory.perform(
            .bindRequest(BindRequest(version: version, name: ByteBuffer(string: dn), authentication: .simple(ByteBuffer(string: password)))),
            as: connection
        ).outcome
    }

    @Test("anonymous, root DN, cleartext and {SSHA} entry passwords")
    func successes() throws {
        let directory = try TestDirectory()
        let anonymous = bind(directory, "", "")
        #expect(anonymous.log.resultCode == .success)
        #expect(anonymous.newIdentity == .anonymous)
        let root = bind(directory, "CN=Admin,dc=example,dc=com", "secret")
        #expect(root.log.resultCode == .success)
        #expect(root.newIdentity?.dn != nil)
        if case .rootDN = root.newIdentity {} else { Issue.record("not the root DN: \(String(describing: root.newIdentity))") }
        #expect(bind(directory, "uid=alice,\(peopleDN)", "alicepw").newIdentity == .entry(try .init("uid=alice,\(peopleDN)")))
        #expect(bind(directory, "uid=bob,\(peopleDN)", "secret").log.resultCode == .success)
        #expect(root.log.operation == "BIND")
    }

    @Test("unknown DN, wrong password and entry without password answer the same invalidCredentials")
    func sameFailure() throws {
        let directory = try TestDirectory()
        let outcomes = [
            bind(directory, "uid=nobody,\(peopleDN)", "x"), bind(directory, "uid=alice,\(peopleDN)", "wrong"),
            bind(directory, "uid=carol,\(peopleDN)", "x"), bind(directory, rootDNText, "wrong"),
            bind(directory, "uid=x,ou=nowhere,dc=example,dc=com", "x"),
        ]
        let results = outcomes.map { result(of: $0) }
        for (outcome, result) in zip(outcomes, results) {
            #expect(result?.resultCode == .invalidCredentials)
            #expect(outcome.newIdentity == .anonymous)
            #expect(result.map { String(buffer: $0.diagnosticMessage) } == "invalid credentials")
            #expect(result?.matchedDN.readableBytes == 0)
        }
    }

    @Test("version 2, SASL, DN without password, confidentiality")
    func refusals() throws {
        let directory = try TestDirectory()
        #expect(bind(directory, "", "", version: 2).log.resultCode == .protocolError)
        let sasl = directory.perform(
            .bindRequest(BindRequest(name: ByteBuffer(), authentication: .sasl(mechanism: ByteBuffer(string: "EXTERNAL"), credentials: nil))),
            as: .anonymousLoopback).outcome
        #expect(sasl.log.resultCode == .authMethodNotSupported)
        #expect(sasl.newIdentity == .anonymous)
        #expect(bind(directory, "uid=alice,\(peopleDN)", "").log.resultCode == .unwillingToPerform)
        let remote = ConnectionInfo(connectionID: 2, peer: "192.0.2.1:5000", isLoopback: false, isTLS: false)
        #expect(bind(directory, "uid=alice,\(peopleDN)", "alicepw", connection: remote).log.resultCode == .confidentialityRequired)
        var tls = remote
        tls.isTLS = true
        #expect(bind(directory, "uid=alice,\(peopleDN)", "alicepw", connection: tls).log.resultCode == .success)
        #expect(bind(directory, "not a dn", "x").log.resultCode == .invalidDNSyntax)
    }
}

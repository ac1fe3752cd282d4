import LDAPProtocol
import NIOCore
import Testing
@testable import Server

@Suite struct FramingTests {
    private func expectNoticeOfDisconnection(_ client: TestLDAPClient) async throws {
        let notice = try await client.next()
        #expect(notice.messageID == 0)
        #expect(notice.extendedName == NoticeOfDisconnection.oid)
        #expect(notice.result?.resultCode == .protocolError)
        #expect(await client.waitForClose())
    }

    @Test func oversizePDUIsClosedSilently() async throws {
        let server = try await TestServer.start(
            listeners: ["ldap://127.0.0.1:0"], limits: ServerLimits(maximumMessageSize: 1024))
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        // A header declaring 1 MiB, and nothing else.
        try await client.sendRaw([0x30, 0x83, 0x10, 0x00, 0x00])
        #expect(await client.waitForClose())
        #expect(client.totalBytesReceived == 0)
        await server.server.shutdown()
    }

    @Test func garbageEnvelopeIsClosedSilently() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        for garbage: [UInt8] in [
            [0x47, 0x45, 0x54, 0x20, 0x2F, 0x20],  // "GET / "
            [0x30, 0x03, 0x04, 0x01, 0x00],  // messageID is not an INTEGER
            [0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00],  // indefinite length
        ] {
            let client = try await TestLDAPClient.connect(port: server.ldapPort)
            try await client.sendRaw(garbage)
            #expect(await client.waitForClose())
            #expect(client.totalBytesReceived == 0)
        }
        await server.server.shutdown()
    }

    @Test func errorInsideAnOperationGetsANoticeOfDisconnection() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        // messageID 5, then [APPLICATION 30], which is no protocolOp.
        try await client.sendRaw([0x30, 0x05, 0x02, 0x01, 0x05, 0x5E, 0x00])
        try await expectNoticeOfDisconnection(client)
        await server.server.shutdown()
    }

    @Test func filterNestedTooDeeplyGetsANoticeOfDisconnection() async throws {
        let server = try await TestServer.start(
            listeners: ["ldap://127.0.0.1:0"], limits: ServerLimits(maximumFilterDepth: 3))
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        var filter = Filter.present(ByteBuffer(string: "cn"))
        for _ in 0..<10 { filter = .not(filter) }
        try await client.send(LDAPMessage(
            messageID: 9,
            protocolOp: .searchRequest(SearchRequest(baseObject: ByteBuffer(), scope: .baseObject, filter: filter))))
        try await expectNoticeOfDisconnection(client)
        #expect(server.directory.snapshot.performed.isEmpty)
        await server.server.shutdown()
    }

    @Test func aResponseSentByTheClientGetsANoticeOfDisconnection() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(LDAPMessage(messageID: 3, protocolOp: .searchResultDone(LDAPResult(.success))))
        try await expectNoticeOfDisconnection(client)
        await server.server.shutdown()
    }

    @Test func pdusSplitAcrossWritesAndPipelined() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        var bytes = ByteBuffer()
        for id in Int32(1)...3 { Requests.whoAmI(id).write(into: &bytes) }
        let all = Array(bytes.readableBytesView)
        for byte in all {
            try await client.sendRaw([byte])
        }
        let ids = try await [client.next(), client.next(), client.next()].map(\.messageID)
        #expect(Set(ids) == [1, 2, 3])
        await client.close()
        await server.server.shutdown()
    }
}

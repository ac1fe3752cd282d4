import LDAPProtocol
import NIOCore
import Testing
@testable import Server

@Suite struct StartTLSTests {
    @Test func upgradesAPlainConnection() async throws {
        let server = try await TestServer.start()
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(Requests.whoAmI(1))
        #expect(try await client.next().extendedValue == "CLEAR ")
        try await client.send(Requests.startTLS(2))
        let reply = try await client.next()
        #expect(reply.messageID == 2)
        #expect(reply.result?.resultCode == .success)
        #expect(reply.extendedName == StartTLS.oid)
        try await client.startTLS(try TestServer.clientTLS(trusting: server.certificatePath))
        try await client.send(Requests.whoAmI(3))
        let after = try await client.next()
        #expect(after.messageID == 3)
        #expect(after.extendedValue == "TLS ")
        // StartTLS again, now over TLS: operationsError.
        try await client.send(Requests.startTLS(4))
        let again = try await client.next()
        #expect(again.result?.resultCode == .operationsError)
        #expect(again.extendedName == StartTLS.oid)
        await client.close()
        await server.server.shutdown()
    }

    @Test func refusedOverLDAPS() async throws {
        let server = try await TestServer.start()
        let client = try await TestLDAPClient.connect(
            port: server.ldapsPort, tls: try TestServer.clientTLS(trusting: server.certificatePath))
        try await client.send(Requests.startTLS(1))
        #expect(try await client.next().result?.resultCode == .operationsError)
        await client.close()
        await server.server.shutdown()
    }

    @Test func refusedWhileOperationsAreOutstanding() async throws {
        let server = try await TestServer.start()
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(Requests.search(1, entries: 1, delayMilliseconds: 400))
        try await client.send(Requests.startTLS(2))
        let refusal = try await client.next()
        #expect(refusal.messageID == 2)
        #expect(refusal.result?.resultCode == .operationsError)
        let rest = try await client.messages(until: \.isSearchDone)
        #expect(rest.last?.messageID == 1)
        // Still plaintext and usable.
        try await client.send(Requests.whoAmI(3))
        #expect(try await client.next().extendedValue == "CLEAR ")
        await client.close()
        await server.server.shutdown()
    }

    @Test func refusedWithoutTLSMaterial() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"], tls: TLSSettings(identity: .disabled))
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(Requests.startTLS(1))
        let reply = try await client.next()
        #expect(reply.result?.resultCode == .unavailable)
        #expect(reply.extendedName == StartTLS.oid)
        await client.close()
        await server.server.shutdown()
    }

    @Test func nothingInPlaintextAfterTheResponse() async throws {
        let server = try await TestServer.start()
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        // The StartTLS request and a plaintext request in one write: the second must never be answered in clear.
        var bytes = ByteBuffer()
        Requests.startTLS(1).write(into: &bytes)
        Requests.whoAmI(2).write(into: &bytes)
        try await client.sendRaw(Array(bytes.readableBytesView))
        let reply = try await client.next()
        #expect(reply.result?.resultCode == .success)
        #expect(await client.waitForClose())
        // Whatever followed the response (a TLS alert at most) is not an LDAP message.
        let rest = client.unparsedBytes
        #expect(rest.first != 0x30)
        await server.server.shutdown()
    }
}

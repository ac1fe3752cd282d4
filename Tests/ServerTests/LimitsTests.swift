import LDAPProtocol
import NIOCore
import Testing
@testable import Server

@Suite struct LimitsTests {
    private func works(_ client: TestLDAPClient, id: Int32 = 1) async throws -> Bool {
        try await client.send(Requests.whoAmI(id))
        return try await client.next().messageID == id
    }

    @Test func totalConnectionLimit() async throws {
        let server = try await TestServer.start(
            listeners: ["ldap://127.0.0.1:0"], limits: ServerLimits(maximumConnections: 2))
        let first = try await TestLDAPClient.connect(port: server.ldapPort)
        let second = try await TestLDAPClient.connect(port: server.ldapPort)
        #expect(try await works(first))
        #expect(try await works(second))
        let third = try await TestLDAPClient.connect(port: server.ldapPort)
        #expect(await third.waitForClose())
        #expect(third.totalBytesReceived == 0)
        await first.close()
        try await Task.sleep(for: .milliseconds(200))
        let fourth = try await TestLDAPClient.connect(port: server.ldapPort)
        #expect(try await works(fourth))
        await server.server.shutdown()
    }

    @Test func perAddressConnectionLimit() async throws {
        let ipv6 = TestServer.hasIPv6Loopback
        let server = try await TestServer.start(
            listeners: ["ldap://127.0.0.1:0"] + (ipv6 ? ["ldap://[::1]:0"] : []),
            limits: ServerLimits(maximumConnectionsPerAddress: 1))
        let first = try await TestLDAPClient.connect(port: server.ldapPort)
        #expect(try await works(first))
        let second = try await TestLDAPClient.connect(port: server.ldapPort)
        #expect(await second.waitForClose())
        if ipv6 {
            // Another source address still gets in.
            let other = try await TestLDAPClient.connect(host: "::1", port: server.port(.ldap, ipv6: true))
            #expect(try await works(other))
        }
        await server.server.shutdown()
    }

    @Test func idleConnectionsAreClosedSilently() async throws {
        let server = try await TestServer.start(
            listeners: ["ldap://127.0.0.1:0"], limits: ServerLimits(idleTimeout: .seconds(2)))
        // Seconds, not milliseconds: on a loaded 2-core machine a first request can take longer than a short
        // timeout, and the test would see its own connection closed under it.
        let idle = try await TestLDAPClient.connect(port: server.ldapPort)
        #expect(try await works(idle))
        let received = idle.totalBytesReceived
        // A connection with a long operation running is not idle.
        let busy = try await TestLDAPClient.connect(port: server.ldapPort)
        try await busy.send(Requests.compare(1, delayMilliseconds: 5000))
        #expect(await idle.waitForClose(timeout: .seconds(8)))
        #expect(idle.totalBytesReceived == received)
        #expect(try await busy.next().messageID == 1)
        #expect(await busy.waitForClose(timeout: .seconds(8)))
        await server.server.shutdown()
    }
}

import LDAPProtocol
import NIOCore
import Testing
@testable import Server

@Suite struct ShutdownTests {
    @Test func waitsForAnInFlightWriteThenSaysGoodbye() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(Requests.modify(1, delayMilliseconds: 1500))
        // Shut down while the write runs (polled, not slept: a loaded machine may start it late).
        let deadline = ContinuousClock.now + .seconds(10)
        while server.directory.snapshot.running == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.directory.snapshot.running == 1)
        await server.server.shutdown()
        // The write finished before shutdown returned (nothing runs any more), and its response was delivered.
        #expect(server.directory.snapshot.running == 0)
        let reply = try await client.next()
        #expect(reply.messageID == 1)
        #expect(reply.result?.resultCode == .success)
        let notice = try await client.next()
        #expect(notice.messageID == 0)
        #expect(notice.result?.resultCode == .unavailable)
        #expect(await client.waitForClose())
        // No longer accepting.
        await #expect(throws: (any Error).self) { _ = try await TestLDAPClient.connect(port: server.ldapPort) }
    }

    @Test func cancelsARunningSearch() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(Requests.search(1, entries: 100_000, delayMilliseconds: 1))
        _ = try await client.next()
        let clock = ContinuousClock()
        let started = clock.now
        await server.server.shutdown()
        #expect(clock.now - started < .seconds(5))
        #expect(server.directory.snapshot.cancelledSearches == 1)
        #expect(await client.waitForClose())
        await server.server.shutdown()  // a second call is harmless
    }
}

import LDAPProtocol
import NIOCore
import Testing
@testable import Server

@Suite struct OperationTests {
    @Test func searchEntriesPrecedeTheDoneMessage() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(Requests.search(5, entries: 50))
        let messages = try await client.messages(until: \.isSearchDone)
        #expect(messages.count == 51)
        #expect(messages.dropLast().allSatisfy { $0.isSearchEntry })
        #expect(messages.allSatisfy { $0.messageID == 5 })
        await client.close()
        await server.server.shutdown()
    }

    @Test func abandonStopsALongSearch() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(Requests.search(1, entries: 2000, delayMilliseconds: 2))
        for _ in 0..<3 { #expect(try await client.next().isSearchEntry) }
        try await client.send(Requests.abandon(2, target: 1))
        try await client.send(Requests.whoAmI(3))
        // Entries already on their way may arrive; then the Who am I? answer; never a SearchResultDone for 1.
        let messages = try await client.messages(until: { $0.messageID == 3 })
        #expect(!messages.contains { $0.isSearchDone })
        try await Task.sleep(for: .milliseconds(200))
        #expect(client.unparsedBytes.isEmpty)
        #expect(server.directory.snapshot.cancelledSearches == 1)
        #expect(server.directory.snapshot.entriesSent < 2000)
        await client.close()
        await server.server.shutdown()
    }

    @Test func unbindClosesAndNothingIsAnsweredAfterwards() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try? await client.sendTogether(
            [Requests.compare(1, delayMilliseconds: 300), Requests.unbind(2), Requests.whoAmI(3)])
        #expect(await client.waitForClose())
        try await Task.sleep(for: .milliseconds(400))
        #expect(client.totalBytesReceived == 0)
        await server.server.shutdown()
    }

    @Test func busyBeyondTheOutstandingLimit() async throws {
        let server = try await TestServer.start(
            listeners: ["ldap://127.0.0.1:0"], limits: ServerLimits(maximumOutstandingOperations: 2))
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(Requests.compare(1, delayMilliseconds: 400))
        try await client.send(Requests.compare(2, delayMilliseconds: 400))
        try await client.send(Requests.search(3, entries: 1))
        let first = try await client.next()
        #expect(first.messageID == 3)
        #expect(first.result?.resultCode == .busy)
        #expect(first.isSearchDone)
        let others = [try await client.next(), try await client.next()]
        #expect(Set(others.map(\.messageID)) == [1, 2])
        #expect(others.allSatisfy { $0.result?.resultCode == .compareTrue })
        await client.close()
        await server.server.shutdown()
    }

    @Test func concurrentOperationsKeepTheirMessageIDs() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        var expected: Set<Int32> = []
        for id in Int32(1)...40 {
            if id % 4 == 0 {
                try await client.send(Requests.search(id, entries: 3, delayMilliseconds: Int(id % 7)))
            } else {
                try await client.send(Requests.compare(id, delayMilliseconds: Int((id * 13) % 50)))
            }
            expected.insert(id)
        }
        var finished: Set<Int32> = []
        var entries: [Int32: Int] = [:]
        while finished.count < expected.count {
            let message = try await client.next()
            if message.isSearchEntry {
                #expect(!finished.contains(message.messageID))
                entries[message.messageID, default: 0] += 1
            } else {
                #expect(finished.insert(message.messageID).inserted)
            }
        }
        #expect(finished == expected)
        #expect(entries.values.allSatisfy { $0 == 3 } && entries.count == 10)
        #expect(server.directory.snapshot.maximumRunning > 1)
        await client.close()
        await server.server.shutdown()
    }

    @Test func bindWaitsForEarlierOperationsAndLaterOnesSeeItsIdentity() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.send(Requests.search(1, entries: 2, delayMilliseconds: 150))
        try await client.send(Requests.bind(2, dn: "cn=alice,dc=example"))
        try await client.send(Requests.whoAmI(3))
        let messages = try await client.messages(until: { $0.messageID == 3 })
        let finals = messages.filter { !$0.isSearchEntry }.map(\.messageID)
        #expect(finals == [1, 2, 3])
        #expect(messages.last?.extendedValue == "CLEAR dn:cn=alice,dc=example")
        // A failed bind leaves the connection anonymous.
        try await client.send(Requests.bind(4, dn: "cn=bad"))
        #expect(try await client.next().result?.resultCode == .invalidCredentials)
        try await client.send(Requests.whoAmI(5))
        #expect(try await client.next().extendedValue == "CLEAR ")
        await client.close()
        await server.server.shutdown()
    }

    @Test func writesRunOnOneThread() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        for id in Int32(1)...6 { try await client.send(Requests.modify(id, delayMilliseconds: 20)) }
        let replies = try await (1...6).asyncMap { _ in try await client.next() }
        #expect(Set(replies.map(\.messageID)) == Set(1...6))
        #expect(server.directory.snapshot.writerThreads.count == 1)
        await client.close()
        await server.server.shutdown()
    }

    @Test func aSlowReaderHoldsTheSearchBack() async throws {
        let server = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let client = try await TestLDAPClient.connect(port: server.ldapPort)
        try await client.channel.setOption(.autoRead, value: false).get()
        // 3000 entries of ~8 KB: 24 MB, far above what socket buffers absorb.
        try await client.send(Requests.search(1, entries: 3000, padding: 8000))
        try await Task.sleep(for: .seconds(1))
        let sentWhileBlocked = server.directory.snapshot.entriesSent
        #expect(sentWhileBlocked < 3000)
        try await client.channel.setOption(.autoRead, value: true).get()
        client.channel.read()
        let messages = try await client.messages(until: \.isSearchDone, timeout: .seconds(30))
        #expect(messages.count == 3001)
        await client.close()
        await server.server.shutdown()
    }
}

extension ClosedRange where Bound == Int {
    func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for value in self { result.append(try await transform(value)) }
        return result
    }
}

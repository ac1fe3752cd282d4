import Directory
import LDAPProtocol
import NIOCore
import Testing
@testable import Server

@Suite struct OperationTableTests {
    private func entry(_ number: UInt64, _ message: LDAPMessage) -> OperationTable.Entry {
        OperationTable.Entry(number: number, message: message, received: .now(), cancellation: OperationCancellation())
    }

    @Test func bindIsSerialisedAgainstEverythingElse() {
        var table = OperationTable()
        table.enqueue(entry(0, Requests.search(1, entries: 1)))
        table.enqueue(entry(1, Requests.compare(2)))
        table.enqueue(entry(2, Requests.bind(3, dn: "cn=x")))
        table.enqueue(entry(3, Requests.compare(4)))
        #expect(table.takeDispatchable().map(\.number) == [0, 1])
        #expect(table.takeDispatchable().isEmpty)
        _ = table.finish(0)
        #expect(table.takeDispatchable().isEmpty)
        _ = table.finish(1)
        #expect(table.takeDispatchable().map(\.number) == [2])
        #expect(table.takeDispatchable().isEmpty)
        #expect(table.abandon(messageID: 3) == .notAbandonable)
        _ = table.finish(2)
        #expect(table.takeDispatchable().map(\.number) == [3])
        #expect(table.abandon(messageID: 4) == .cancelled)
        #expect(table.running[3]?.cancellation.isCancelled == true)
        #expect(table.abandon(messageID: 99) == .notFound)
    }

    @Test func abandonRemovesAWaitingRequest() {
        var table = OperationTable()
        table.enqueue(entry(0, Requests.bind(1, dn: "cn=x")))
        table.enqueue(entry(1, Requests.compare(2)))
        _ = table.takeDispatchable()
        #expect(table.count == 2)
        #expect(table.abandon(messageID: 2) == .removedFromQueue)
        #expect(table.count == 1)
        table.cancelAll()
        #expect(table.running[0]?.cancellation.isCancelled == true)
    }
}

import Dispatch
import Foundation
import Storage
import Testing

/// A lock-protected list for results gathered from several threads.
private final class Gathered<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var elements: [Element] = []

    func append(_ element: Element) { lock.withLock { elements.append(element) } }
    var all: [Element] { lock.withLock { elements } }
}

@Suite("LMDB readers and writer")
struct LMDBConcurrencyTests {
    @Test("many readers complete while the writer holds its transaction open, and see the last commit")
    func readersNotBlockedByWriter() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries")
            try environment.write { try $0.put(entries, key: "k".bytes, value: "committed".bytes) }

            let readerCount = 32
            let seen = Gathered<[UInt8]?>()
            let durations = Gathered<Duration>()
            let failures = Gathered<String>()
            let group = DispatchGroup()
            let clock = ContinuousClock()
            var writerHeld = Duration.zero
            let outcome = try environment.write { transaction -> DispatchTimeoutResult in
                let start = clock.now
                try transaction.put(entries, key: "k".bytes, value: "uncommitted".bytes)
                for _ in 0..<readerCount {
                    DispatchQueue.global().async(group: group) {
                        let began = clock.now
                        do {
                            seen.append(try environment.read { try $0.get(entries, key: "k".bytes) })
                        } catch {
                            failures.append("\(error)")
                        }
                        durations.append(clock.now - began)
                    }
                }
                // The readers must finish while this transaction is still open.
                let outcome = group.wait(timeout: .now() + .seconds(20))
                writerHeld = clock.now - start
                return outcome
            }
            #expect(outcome == .success, "readers were blocked by the open write transaction")
            #expect(failures.all.isEmpty)
            #expect(seen.all.count == readerCount)
            #expect(seen.all.allSatisfy { $0 == "committed".bytes })
            #expect(durations.all.allSatisfy { $0 <= writerHeld })
            #expect(try environment.read { try $0.get(entries, key: "k".bytes) } == "uncommitted".bytes)
        }
    }

    @Test("read transactions are reset and renewed, not recreated: reads far beyond maxReaders succeed")
    func readersAreReused() throws {
        try withTemporaryDataDirectory { directory in
            var configuration = testConfiguration()
            configuration.maxReaders = 4
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let entries = try environment.openDatabase("entries")
            try environment.write { try $0.put(entries, key: "k".bytes, value: "v".bytes) }
            var firstID = 0
            for round in 0..<2000 {
                let id = try environment.read { transaction throws in
                    #expect(try transaction.get(entries, key: "k".bytes) == "v".bytes)
                    return transaction.transactionID
                }
                if round == 0 { firstID = id }
                #expect(id == firstID)
            }
            // A renewed transaction sees commits made since it was reset.
            try environment.write { try $0.put(entries, key: "k".bytes, value: "w".bytes) }
            #expect(try environment.read { try $0.get(entries, key: "k".bytes) } == "w".bytes)
            #expect(try environment.info().readerSlotsUsed <= 4)
        }
    }

    @Test("more concurrent readers than reader slots fail with a typed MDB_READERS_FULL")
    func readersFull() throws {
        try withTemporaryDataDirectory { directory in
            var configuration = testConfiguration()
            configuration.maxReaders = 2
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let entries = try environment.openDatabase("entries")
            let release = DispatchSemaphore(value: 0)
            let holding = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for _ in 0..<2 {
                DispatchQueue.global().async(group: group) {
                    _ = try? environment.read { _ in
                        holding.signal()
                        release.wait()
                    }
                }
            }
            holding.wait()
            holding.wait()
            let error = #expect(throws: LMDBError.self) { try environment.read { try $0.get(entries, key: "k".bytes) } }
            release.signal()
            release.signal()
            group.wait()
            #expect(error?.kind == .readersFull)
            #expect(error?.message == "MDB_READERS_FULL: Environment maxreaders limit reached")
            // Once the readers are back in the pool, reading works again.
            #expect(try environment.read { try $0.get(entries, key: "k".bytes) } == nil)
        }
    }

    @Test("writers from many tasks are serialised; readers from many tasks always see whole commits")
    func concurrentTasks() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("annuaire-lmdb-tests-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = testConfiguration(mapSize: 64 << 10, maxMapSize: 64 << 20, growthThreshold: 0.7)
        let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
        let entries = try environment.openDatabase("entries")
        let writers = 8
        let perWriter = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for number in 0..<perWriter {
                        // Two keys per commit, always equal: a reader must never see them differ.
                        try environment.write { transaction throws in
                            let value = Array("\(writer)-\(number)-".utf8) + [UInt8](repeating: 1, count: 300)
                            try transaction.put(entries, key: "left".bytes, value: value)
                            try transaction.put(entries, key: "right".bytes, value: value)
                            try transaction.put(entries, key: Array("w\(writer)-\(number)".utf8), value: value)
                        }
                    }
                }
            }
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<300 {
                        let (left, right) = try environment.read { transaction throws in
                            (
                                try transaction.get(entries, key: "left".bytes),
                                try transaction.get(entries, key: "right".bytes)
                            )
                        }
                        #expect(left == right)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try environment.read { try $0.statistics(entries).entries } == writers * perWriter + 2)
        #expect(try environment.info().mapSize > 64 << 10)
    }
}

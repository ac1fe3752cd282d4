import Dispatch
import Foundation
import Storage
import Testing

@Suite("LMDB map growth")
struct LMDBMapGrowthTests {
    private static let value = [UInt8](repeating: 0xAB, count: 1000)

    @Test("a write that meets MDB_MAP_FULL in a tiny map grows the map and succeeds")
    func growsOnMapFull() throws {
        try withTemporaryDataDirectory { directory in
            let configuration = testConfiguration(mapSize: 64 << 10, maxMapSize: 64 << 20)
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let entries = try environment.openDatabase("entries")
            #expect(try environment.info().mapSize == 64 << 10)
            var runs = 0
            try environment.write { transaction throws in
                runs += 1
                for number in 0..<500 {
                    try transaction.put(entries, key: Array("key\(number)".utf8), value: Self.value)
                }
            }
            #expect(runs > 1, "the closure should have met MDB_MAP_FULL and run again")
            let info = try environment.info()
            #expect(info.mapSize > 64 << 10)
            #expect(info.mapSize <= 64 << 20)
            #expect(info.mapSize % environment.pageSize == 0)
            try environment.read { transaction throws in
                #expect(try transaction.statistics(entries).entries == 500)
                #expect(try transaction.get(entries, key: "key499".bytes) == Self.value)
            }
        }
    }

    @Test("the closure's own catch of MDB_MAP_FULL does not stop the growth")
    func swallowedMapFullStillGrows() throws {
        try withTemporaryDataDirectory { directory in
            let configuration = testConfiguration(mapSize: 64 << 10, maxMapSize: 64 << 20)
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let entries = try environment.openDatabase("entries")
            try environment.write { transaction throws in
                for number in 0..<300 {
                    try? transaction.put(entries, key: Array("key\(number)".utf8), value: Self.value)
                }
            }
            #expect(try environment.read { try $0.statistics(entries).entries } == 300)
        }
    }

    @Test("growth stops at maxMapSize with a typed MDB_MAP_FULL error; nothing is written, the writer goes on")
    func growthCapped() throws {
        try withTemporaryDataDirectory { directory in
            let configuration = testConfiguration(mapSize: 64 << 10, maxMapSize: 256 << 10)
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let entries = try environment.openDatabase("entries")
            let error = #expect(throws: LMDBError.self) {
                try environment.write { transaction throws in
                    for number in 0..<2000 {
                        try transaction.put(entries, key: Array("key\(number)".utf8), value: Self.value)
                    }
                }
            }
            #expect(error?.kind == .mapFull)
            #expect(error?.message == "MDB_MAP_FULL: Environment mapsize limit reached")
            #expect(error?.detail?.contains("configured maximum of 262144 bytes") == true)
            #expect(error.map { "\($0)" }?.contains("MDB_MAP_FULL: Environment mapsize limit reached") == true)
            #expect(try environment.info().mapSize == 256 << 10)
            #expect(try environment.read { try $0.statistics(entries).entries } == 0)
            try environment.write { try $0.put(entries, key: "small".bytes, value: "fits".bytes) }
            #expect(try environment.read { try $0.get(entries, key: "small".bytes) } == "fits".bytes)
        }
    }

    @Test("past growthThreshold the map grows before a write needs it, without re-running any closure")
    func proactiveGrowth() throws {
        try withTemporaryDataDirectory { directory in
            let configuration = testConfiguration(mapSize: 256 << 10, maxMapSize: 64 << 20, growthThreshold: 0.5)
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let entries = try environment.openDatabase("entries")
            var runs = 0
            for batch in 0..<20 {
                try environment.write { transaction throws in
                    runs += 1
                    for number in 0..<10 {
                        try transaction.put(entries, key: Array("key\(batch)-\(number)".utf8), value: Self.value)
                    }
                }
            }
            #expect(runs == 20)
            let info = try environment.info()
            #expect(info.mapSize > 256 << 10)
            #expect(try environment.read { try $0.statistics(entries).entries } == 200)
        }
    }

    @Test("a map grown in an earlier run keeps its size when reopened with a smaller configured size")
    func grownSizePersists() throws {
        try withTemporaryDataDirectory { directory in
            let configuration = testConfiguration(mapSize: 64 << 10, maxMapSize: 64 << 20)
            let grown: Int
            do {
                let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
                let entries = try environment.openDatabase("entries")
                try environment.write { transaction throws in
                    for number in 0..<500 {
                        try transaction.put(entries, key: Array("key\(number)".utf8), value: Self.value)
                    }
                }
                grown = try environment.info().mapSize
            }
            #expect(grown > 64 << 10)
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            #expect(try environment.info().mapSize == grown)
        }
    }

    @Test("a forced growth waits for open read transactions, whose views stay valid, then succeeds")
    func growthWaitsForReaders() throws {
        try withTemporaryDataDirectory { directory in
            var configuration = testConfiguration(mapSize: 64 << 10, maxMapSize: 64 << 20)
            configuration.growthTimeout = .seconds(20)
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let entries = try environment.openDatabase("entries")
            try environment.write { try $0.put(entries, key: "seed".bytes, value: Self.value) }

            let inside = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var stillValid = false
            DispatchQueue.global().async {
                _ = try? environment.read { transaction throws in
                    let view = try transaction.view(entries, key: "seed".bytes)
                    inside.signal()
                    Thread.sleep(forTimeInterval: 0.3)
                    // Had the map been replaced under this transaction, the view would point at unmapped memory.
                    stillValid = view.map { Array($0) } == Self.value
                }
                done.signal()
            }
            inside.wait()
            let clock = ContinuousClock()
            let start = clock.now
            var runs = 0
            try environment.write { transaction in
                runs += 1
                for number in 0..<300 {
                    try transaction.put(entries, key: Array("key\(number)".utf8), value: Self.value)
                }
            }
            let elapsed = clock.now - start
            done.wait()
            #expect(stillValid)
            #expect(runs > 1)
            #expect(elapsed >= .milliseconds(200), "the growth should have waited for the open reader")
            #expect(try environment.read { try $0.statistics(entries).entries } == 301)
        }
    }

    @Test("a growth held up by a reader for longer than growthTimeout fails with a typed error; nobody hangs")
    func growthTimeout() throws {
        try withTemporaryDataDirectory { directory in
            var configuration = testConfiguration(mapSize: 64 << 10, maxMapSize: 64 << 20)
            configuration.growthTimeout = .milliseconds(200)
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let entries = try environment.openDatabase("entries")

            let inside = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                _ = try? environment.read { _ in
                    inside.signal()
                    _ = release.wait(timeout: .now() + .seconds(20))
                }
                done.signal()
            }
            inside.wait()
            let error = #expect(throws: LMDBError.self) {
                try environment.write { transaction in
                    for number in 0..<300 {
                        try transaction.put(entries, key: Array("key\(number)".utf8), value: Self.value)
                    }
                }
            }
            #expect(error?.kind == .mapFull)
            #expect(error?.detail?.contains("growthTimeout") == true)
            // Readers are not held back once the growth gave up.
            #expect(try environment.read { try $0.get(entries, key: "key1".bytes) } == nil)
            release.signal()
            done.wait()
            // With the reader gone, the same write succeeds.
            try environment.write { transaction in
                for number in 0..<300 {
                    try transaction.put(entries, key: Array("key\(number)".utf8), value: Self.value)
                }
            }
            #expect(try environment.read { try $0.statistics(entries).entries } == 300)
        }
    }
}

import Foundation
import Storage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

private struct Refusal: Error {}

@Suite("LMDB transactions")
struct LMDBTransactionTests {
    @Test("abort() leaves nothing written, and the closure's result is still returned")
    func abortLeavesNothing() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries")
            try environment.write { try $0.put(entries, key: "kept".bytes, value: "1".bytes) }
            let result = try environment.write { transaction throws in
                try transaction.put(entries, key: "new".bytes, value: "2".bytes)
                try transaction.put(entries, key: "kept".bytes, value: "changed".bytes)
                transaction.abort()
                // Once aborted, the transaction refuses further writes.
                let error = #expect(throws: LMDBError.self) {
                    try transaction.put(entries, key: "late".bytes, value: "3".bytes)
                }
                #expect(error?.kind == .badTransaction)
                return 42
            }
            #expect(result == 42)
            try environment.read { transaction throws in
                #expect(try transaction.get(entries, key: "kept".bytes) == "1".bytes)
                #expect(try transaction.get(entries, key: "new".bytes) == nil)
                #expect(try transaction.get(entries, key: "late".bytes) == nil)
            }
        }
    }

    @Test("a throw inside write aborts: nothing half-written, the error comes out unchanged")
    func throwLeavesNothing() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries")
            let index = try environment.openDatabase("index", flags: [.create, .duplicateSort])
            #expect(throws: Refusal.self) {
                try environment.write { transaction throws in
                    for number in 0..<100 {
                        try transaction.put(entries, key: Array("k\(number)".utf8), value: "v".bytes)
                        try transaction.put(index, key: "v".bytes, value: Array("k\(number)".utf8))
                    }
                    throw Refusal()
                }
            }
            try environment.read { transaction throws in
                #expect(try transaction.statistics(entries).entries == 0)
                #expect(try transaction.statistics(index).entries == 0)
            }
            // The writer is free again.
            try environment.write { try $0.put(entries, key: "after".bytes, value: "ok".bytes) }
            #expect(try environment.read { try $0.get(entries, key: "after".bytes) } == "ok".bytes)
        }
    }

    @Test("nested transactions commit into the outer one, or are undone alone")
    func nested() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries")
            try environment.write { transaction throws in
                try transaction.nested { try $0.put(entries, key: "first".bytes, value: "1".bytes) }
                #expect(throws: Refusal.self) {
                    try transaction.nested { child throws in
                        try child.put(entries, key: "second".bytes, value: "2".bytes)
                        throw Refusal()
                    }
                }
                try transaction.nested { child throws in
                    try child.put(entries, key: "third".bytes, value: "3".bytes)
                    child.abort()
                }
                #expect(try transaction.get(entries, key: "first".bytes) == "1".bytes)
                #expect(try transaction.get(entries, key: "second".bytes) == nil)
                try transaction.put(entries, key: "fourth".bytes, value: "4".bytes)
            }
            try environment.read { transaction throws in
                #expect(try transaction.get(entries, key: "first".bytes) == "1".bytes)
                #expect(try transaction.get(entries, key: "second".bytes) == nil)
                #expect(try transaction.get(entries, key: "third".bytes) == nil)
                #expect(try transaction.get(entries, key: "fourth".bytes) == "4".bytes)
            }
        }
    }

    @Test("a write inside a write on the same thread fails with a typed error instead of hanging")
    func nestedWriteIsRefused() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries")
            let error = #expect(throws: LMDBError.self) {
                try environment.write { _ in
                    try environment.write { try $0.put(entries, key: "k".bytes, value: "v".bytes) }
                }
            }
            #expect(error?.kind == .system(EDEADLK))
            #expect(error?.message == "Resource deadlock avoided")
            #expect(error?.detail?.contains("do not nest") == true)
            #expect(try environment.read { try $0.get(entries, key: "k".bytes) } == nil)
        }
    }

    @Test("LMDB's errors are typed and carry LMDB's text and the operation")
    func errorsCarryLMDBText() throws {
        try withTemporaryDataDirectory { directory in
            var configuration = testConfiguration()
            configuration.maxDatabases = 2
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let entries = try environment.openDatabase("entries")
            _ = try environment.openDatabase("index", flags: [.create, .duplicateSort])

            let exists = #expect(throws: LMDBError.self) {
                try environment.write { transaction throws in
                    try transaction.put(entries, key: "k".bytes, value: "v".bytes)
                    try transaction.put(entries, key: "k".bytes, value: "w".bytes, flags: .noOverwrite)
                }
            }
            #expect(exists?.kind == .keyExists)
            #expect(exists?.code == -30799)
            #expect(exists?.message == "MDB_KEYEXIST: Key/data pair already exists")
            #expect(exists?.operation == "mdb_put(entries)")
            #expect(exists?.description == "mdb_put(entries): MDB_KEYEXIST: Key/data pair already exists (-30799)")

            let tooLong = #expect(throws: LMDBError.self) {
                try environment.write { transaction throws in
                    try transaction.put(
                        entries, key: [UInt8](repeating: 1, count: environment.maxKeySize + 1), value: "v".bytes)
                }
            }
            #expect(tooLong?.kind == .badValueSize)
            #expect(tooLong?.message.hasPrefix("MDB_BAD_VALSIZE") == true)

            let emptyKey = #expect(throws: LMDBError.self) {
                try environment.write { try $0.put(entries, key: [], value: "v".bytes) }
            }
            #expect(emptyKey?.kind == .badValueSize)

            let full = #expect(throws: LMDBError.self) { try environment.openDatabase("third") }
            #expect(full?.kind == .databasesFull)
            #expect(full?.message == "MDB_DBS_FULL: Environment maxdbs limit reached")
            #expect(full?.operation == "mdb_dbi_open(third)")

            // LMDB would keep the stored flags silently; opening a database as something else is refused.
            let incompatible = #expect(throws: LMDBError.self) {
                try environment.openDatabase("entries", flags: [.duplicateSort])
            }
            #expect(incompatible?.kind == .incompatible)
            #expect(incompatible?.message.hasPrefix("MDB_INCOMPATIBLE") == true)
            #expect(incompatible?.detail == "database entries has flags [], not the requested [duplicateSort]")

            // Nothing of the failed transactions was committed.
            #expect(try environment.read { try $0.statistics(entries).entries } == 0)
        }
    }
}

import DemoData
import LDAPProtocol
import Testing

@testable import Storage

/// How the import writes: ids appended to their index keys (`MDB_APPENDDUP`), and a compacted database in place
/// of the staging one.
@Suite("bulk writes: appended ids and a compacted database")
struct BulkWriteTests {
    @Test("an id that is not the key's largest is still added, in order, and an existing pair is left alone")
    func appendPutFallsBack() throws {
        try withTemporaryDataDirectory { (directory: String) throws in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let index = try environment.openDatabase("eq:test", flags: [.create, .duplicateSort, .duplicateFixed])
            let key = Array("value".utf8)
            try environment.write { transaction in
                for id: UInt64 in [5, 9, 3, 9, 7, 12, 1] {
                    try DirectoryStore.appendPut(&transaction, index, key: key, value: EntryID(rawValue: id).bytes)
                }
                // A key holding one id, then a smaller one (LMDB's single-value case rather than a sub-page).
                try DirectoryStore.appendPut(&transaction, index, key: [1], value: EntryID(rawValue: 4).bytes)
                try DirectoryStore.appendPut(&transaction, index, key: [1], value: EntryID(rawValue: 2).bytes)
                try DirectoryStore.appendPut(&transaction, index, key: [1], value: EntryID(rawValue: 4).bytes)
            }
            let (ids, single) = try environment.read { transaction in
                (
                    try transaction.values(in: index, key: key).compactMap { EntryID(bytes: $0)?.rawValue },
                    try transaction.values(in: index, key: [1]).compactMap { EntryID(bytes: $0)?.rawValue }
                )
            }
            #expect(ids == [1, 3, 5, 7, 9, 12])
            #expect(single == [2, 4])
        }
    }

    @Test("a write-map environment (the staging database's) writes, grows its map, and refuses nested transactions")
    func writeMapEnvironment() throws {
        try withTemporaryDataDirectory { (directory: String) throws in
            var configuration = testConfiguration(mapSize: 1 << 20, maxMapSize: 64 << 20)
            configuration.writeMap = true
            configuration.durability = .noSync
            let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
            let database = try environment.openDatabase("data")
            let value = [UInt8](repeating: 7, count: 1000)
            // About 4 MB: more than the first map, so it grows (the file with it) on the way.
            for batch in 0..<4 {
                try environment.write { transaction in
                    for index in 0..<1000 {
                        try transaction.put(
                            database, key: EntryID(rawValue: UInt64(batch * 1000 + index)).bytes, value: value)
                    }
                }
            }
            #expect(try environment.info().mapSize > 1 << 20)
            let count = try environment.read { try $0.statistics(database).entries }
            #expect(count == 4000)
            let error = #expect(throws: LMDBError.self) {
                try environment.write { transaction in
                    try transaction.nested { _ in }
                }
            }
            #expect(error?.operation == "mdb_txn_begin(nested)")
            // The refused nested transaction left the environment usable.
            try environment.write { transaction in try transaction.put(database, key: [1], value: [1]) }
            #expect(try environment.read { try $0.get(database, key: [1]) } == [1])
        }
    }

    @Test("an import in many transactions leaves a database without free pages, which verifies clean")
    func importLeavesACompactedDatabase() throws {
        let generator = try DemoDataGenerator(
            options: DemoDataOptions(people: 200, seed: 4, suffix: suffix.description))
        let generated = try generator.generateInMemory()
        try withTemporaryDataDirectory { (directory: String) throws in
            // Small batches: each transaction rewrites index pages, which the staging file keeps as free pages.
            try bulkLoad(String(decoding: generated.ldif, as: UTF8.self), into: directory, batchSize: 16)
            let environment = try LMDBEnvironment(
                directory: directory, configuration: testConfiguration(access: .readOnly, maxMapSize: 1 << 30))
            let info = try environment.info()
            // A compacted copy holds exactly its pages in use: no free page, no trailing space.
            #expect(info.fileSize == info.usedBytes, "\(info)")
        }
        try withTemporaryDataDirectory { (directory: String) throws in
            try bulkLoad(String(decoding: generated.ldif, as: UTF8.self), into: directory, batchSize: 16)
            let store = try openStore(directory)
            let report = try store.verify()
            #expect(report.isClean, "\(report.findings.prefix(5))")
            #expect(report.entries == generated.summary.entries)
        }
    }
}

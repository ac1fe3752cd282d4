import Foundation
import Storage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `body` with a fresh directory path (not yet created) under the temporary directory, removed afterwards.
func withTemporaryDataDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let base = FileManager.default.temporaryDirectory
        .appendingPathComponent("annuaire-lmdb-tests-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: base) }
    return try body(base.appendingPathComponent("data").path)
}

/// A configuration for tests: small map, no proactive growth unless asked.
func testConfiguration(
    access: LMDBConfiguration.Access = .readWrite,
    mapSize: Int = 8 << 20,
    maxMapSize: Int = 64 << 20,
    growthThreshold: Double? = nil
) -> LMDBConfiguration {
    LMDBConfiguration(access: access, mapSize: mapSize, maxMapSize: maxMapSize, growthThreshold: growthThreshold)
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

@Suite("LMDB environment")
struct LMDBEnvironmentTests {
    @Test("put, get and delete by key")
    func putGetDelete() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries")
            try environment.write { transaction throws in
                try transaction.put(entries, key: "a".bytes, value: "alpha".bytes)
                try transaction.put(entries, key: "b".bytes, value: "beta".bytes)
                // A write transaction reads its own writes.
                #expect(try transaction.get(entries, key: "a".bytes) == "alpha".bytes)
            }
            try environment.read { transaction throws in
                #expect(try transaction.get(entries, key: "a".bytes) == "alpha".bytes)
                #expect(try transaction.get(entries, key: "b".bytes) == "beta".bytes)
                #expect(try transaction.get(entries, key: "c".bytes) == nil)
                let view = try transaction.view(entries, key: "b".bytes)
                #expect(view.map { Array($0) } == "beta".bytes)
                #expect(try transaction.statistics(entries).entries == 2)
            }
            let deleted = try environment.write { transaction throws in
                try transaction.put(entries, key: "a".bytes, value: "ALPHA".bytes)
                return try (transaction.delete(entries, key: "b".bytes), transaction.delete(entries, key: "zz".bytes))
            }
            #expect(deleted == (true, false))
            try environment.read { transaction throws in
                #expect(try transaction.get(entries, key: "a".bytes) == "ALPHA".bytes)
                #expect(try !transaction.contains(entries, key: "b".bytes))
            }
        }
    }

    @Test("named databases and their contents persist across reopening; the files have their names")
    func persistAcrossReopen() throws {
        try withTemporaryDataDirectory { directory in
            do {
                let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
                let entries = try environment.openDatabase("entries")
                let index = try environment.openDatabase("index.cn", flags: [.create, .duplicateSort])
                try environment.write { transaction throws in
                    try transaction.put(entries, key: "1".bytes, value: "one".bytes)
                    try transaction.put(index, key: "one".bytes, value: "1".bytes)
                    try transaction.put(index, key: "one".bytes, value: "2".bytes)
                }
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            #expect(files == ["annuaire.lock", "annuaire.mdb", "annuaire.mdb-lock"])

            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries", flags: [])
            let index = try environment.openDatabase("index.cn", flags: [.duplicateSort])
            try environment.read { transaction throws in
                #expect(try transaction.get(entries, key: "1".bytes) == "one".bytes)
                #expect(try transaction.values(in: index, key: "one".bytes) == ["1".bytes, "2".bytes])
            }
            // Databases are separate key spaces.
            try environment.read { transaction throws in
                #expect(try transaction.get(entries, key: "one".bytes) == nil)
            }
        }
    }

    @Test("a database that does not exist is not created without .create, with LMDB's message")
    func missingDatabase() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let error = #expect(throws: LMDBError.self) { try environment.openDatabase("nothing", flags: []) }
            #expect(error?.kind == .notFound)
            #expect(error?.message == "MDB_NOTFOUND: No matching key/data pair found")
            #expect(error?.operation == "mdb_dbi_open(nothing)")
        }
    }

    @Test("info reports the map, the pages used and the readers")
    func info() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries")
            let before = try environment.info()
            try environment.write { transaction throws in
                for number in 0..<500 {
                    try transaction.put(
                        entries, key: Array("key\(number)".utf8), value: [UInt8](repeating: 7, count: 100))
                }
            }
            try environment.read { _ in }
            let after = try environment.info()
            #expect(after.mapSize == 8 << 20)
            #expect(after.maxMapSize == 64 << 20)
            #expect(after.pageSize == environment.pageSize)
            #expect(after.lastPageNumber > before.lastPageNumber)
            #expect(after.lastTransactionID > before.lastTransactionID)
            #expect(after.readerSlotsUsed >= 1)
            #expect(after.maxReaders == 126)
            #expect(after.fileSize >= after.usedBytes)
            #expect(after.fillRatio > 0 && after.fillRatio < 1)
        }
    }

    @Test("copy(to:compact:) writes a consistent copy that opens read-only")
    func copy() throws {
        try withTemporaryDataDirectory { directory in
            let backupDirectory = directory + "-backup"
            defer { try? FileManager.default.removeItem(atPath: backupDirectory) }
            try FileManager.default.createDirectory(atPath: backupDirectory, withIntermediateDirectories: true)
            do {
                let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
                let entries = try environment.openDatabase("entries")
                try environment.write { transaction throws in
                    for number in 0..<1000 {
                        try transaction.put(entries, key: Array("key\(number)".utf8), value: Array("v\(number)".utf8))
                    }
                }
                try environment.write { transaction throws in
                    for number in 0..<500 { try transaction.delete(entries, key: Array("key\(number)".utf8)) }
                }
                try environment.copy(to: backupDirectory + "/annuaire.mdb", compact: true)
                // The destination must be new: LMDB's own error, with the path.
                let error = #expect(throws: LMDBError.self) {
                    try environment.copy(to: backupDirectory + "/annuaire.mdb", compact: true)
                }
                #expect(error?.kind == .system(EEXIST))
                #expect(error?.message == "File exists")
                #expect(error?.operation == "mdb_env_copy2(\(backupDirectory)/annuaire.mdb)")
            }
            let copy = try LMDBEnvironment(
                directory: backupDirectory, configuration: testConfiguration(access: .readOnly))
            let entries = try copy.openDatabase("entries")
            try copy.read { transaction throws in
                #expect(try transaction.statistics(entries).entries == 500)
                #expect(try transaction.get(entries, key: "key999".bytes) == "v999".bytes)
                #expect(try transaction.get(entries, key: "key1".bytes) == nil)
            }
        }
    }

    @Test("a read-only environment reads, and refuses writes and a missing file with a typed error")
    func readOnly() throws {
        try withTemporaryDataDirectory { directory in
            let missing = #expect(throws: DataDirectoryError.self) {
                try LMDBEnvironment(directory: directory, configuration: testConfiguration(access: .readOnly))
            }
            #expect(missing.map { "\($0)" }?.contains("No such file or directory") == true)

            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let noFile = #expect(throws: LMDBError.self) {
                try LMDBEnvironment(directory: directory, configuration: testConfiguration(access: .readOnly))
            }
            #expect(noFile?.message == "No such file or directory")
            #expect(noFile?.operation.hasPrefix("mdb_env_open(") == true)

            do {
                let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
                let entries = try environment.openDatabase("entries")
                try environment.write { try $0.put(entries, key: "k".bytes, value: "v".bytes) }
            }
            let environment = try LMDBEnvironment(
                directory: directory, configuration: testConfiguration(access: .readOnly))
            let entries = try environment.openDatabase("entries")
            #expect(try environment.read { try $0.get(entries, key: "k".bytes) } == "v".bytes)
            let refused = #expect(throws: LMDBError.self) {
                try environment.write { try $0.put(entries, key: "k".bytes, value: "w".bytes) }
            }
            #expect(refused?.message == "Permission denied")
            #expect(refused.map { "\($0)" }?.contains("opened read-only") == true)
        }
    }

    @Test("invalid configurations are refused before anything is created")
    func invalidConfiguration() throws {
        try withTemporaryDataDirectory { directory in
            var configuration = testConfiguration()
            configuration.maxMapSize = configuration.mapSize / 2
            let error = #expect(throws: LMDBError.self) {
                try LMDBEnvironment(directory: directory, configuration: configuration)
            }
            #expect(error?.message == "Invalid argument")
            #expect(error?.detail?.contains("maxMapSize") == true)
            #expect(!FileManager.default.fileExists(atPath: directory))
        }
    }
}

import Foundation
import Storage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("LMDB cursors")
struct LMDBCursorTests {
    @Test("range iteration: MDB_SET_RANGE then MDB_NEXT, in key order, stopping at the range's end")
    func rangeCursor() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries")
            let keys = ["apple", "apricot", "banana", "blueberry", "cherry", "date"]
            try environment.write { transaction throws in
                for key in keys.shuffled() {
                    try transaction.put(entries, key: key.bytes, value: key.uppercased().bytes)
                }
            }
            try environment.read { transaction throws in
                // Keys starting with "b": from "b" while the key starts with "b".
                var found: [String] = []
                try transaction.forEach(in: entries, from: "b".bytes) { entry in
                    let key = String(decoding: entry.key, as: UTF8.self)
                    guard key.hasPrefix("b") else { return false }
                    #expect(entry.valueBytes == key.uppercased().bytes)
                    found.append(key)
                    return true
                }
                #expect(found == ["banana", "blueberry"])

                var all: [String] = []
                try transaction.forEach(in: entries) { entry in
                    all.append(String(decoding: entry.key, as: UTF8.self))
                    return true
                }
                #expect(all == keys)

                try transaction.withCursor(entries) { cursor throws in
                    #expect(try cursor.seek(atLeast: "c".bytes)?.keyBytes == "cherry".bytes)
                    #expect(try cursor.current()?.keyBytes == "cherry".bytes)
                    #expect(try cursor.next()?.keyBytes == "date".bytes)
                    #expect(try cursor.next() == nil)
                    #expect(try cursor.seek(atLeast: "zzz".bytes) == nil)
                    #expect(try cursor.seek("banana".bytes)?.valueBytes == "BANANA".bytes)
                    #expect(try cursor.seek("bananas".bytes) == nil)
                    #expect(try cursor.last()?.keyBytes == "date".bytes)
                    #expect(try cursor.previous()?.keyBytes == "cherry".bytes)
                    #expect(try cursor.first()?.keyBytes == "apple".bytes)
                }
            }
        }
    }

    @Test("duplicate-sorted keys: MDB_GET_BOTH, MDB_NEXT_DUP, counts, and deleting one value")
    func duplicateSort() throws {
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let index = try environment.openDatabase("index.mail", flags: [.create, .duplicateSort])
            #expect(index.flags == [.duplicateSort])
            try environment.write { transaction throws in
                for id in ["3", "1", "2"] { try transaction.put(index, key: "alice".bytes, value: id.bytes) }
                try transaction.put(index, key: "bob".bytes, value: "9".bytes)
                // Adding a pair that exists does nothing; with .noDuplicateData it is an error.
                try transaction.put(index, key: "alice".bytes, value: "2".bytes)
                let error = #expect(throws: LMDBError.self) {
                    try transaction.put(index, key: "alice".bytes, value: "2".bytes, flags: .noDuplicateData)
                }
                #expect(error?.kind == .keyExists)
            }
            try environment.read { transaction throws in
                #expect(try transaction.values(in: index, key: "alice".bytes) == ["1".bytes, "2".bytes, "3".bytes])
                #expect(try transaction.valueCount(in: index, key: "alice".bytes) == 3)
                #expect(try transaction.valueCount(in: index, key: "carol".bytes) == 0)
                #expect(try transaction.values(in: index, key: "carol".bytes).isEmpty)
                #expect(try transaction.contains(index, key: "alice".bytes, value: "2".bytes))
                #expect(try !transaction.contains(index, key: "alice".bytes, value: "4".bytes))
                #expect(try transaction.statistics(index).entries == 4)

                try transaction.withCursor(index) { cursor throws in
                    let pair = try cursor.seek(key: "alice".bytes, value: "2".bytes)
                    #expect(pair?.keyBytes == "alice".bytes)
                    #expect(pair?.valueBytes == "2".bytes)
                    #expect(try cursor.nextDuplicate()?.valueBytes == "3".bytes)
                    #expect(try cursor.nextDuplicate() == nil)
                    #expect(try cursor.nextKey()?.keyBytes == "bob".bytes)
                    #expect(try cursor.seek(key: "alice".bytes, atLeastValue: "15".bytes)?.valueBytes == "2".bytes)
                    #expect(try cursor.firstDuplicate()?.valueBytes == "1".bytes)
                    #expect(try cursor.lastDuplicate()?.valueBytes == "3".bytes)
                    #expect(try cursor.duplicateCount() == 3)
                    // In a read-only transaction LMDB refuses to delete.
                    let refused = #expect(throws: LMDBError.self) { try cursor.deleteCurrent() }
                    #expect(refused?.kind == .system(EACCES))
                    #expect(refused?.message == "Permission denied")
                }
            }
            try environment.write { transaction throws in
                #expect(try transaction.delete(index, key: "alice".bytes, value: "2".bytes))
                #expect(try !transaction.delete(index, key: "alice".bytes, value: "2".bytes))
                try transaction.withCursor(index) { cursor throws in
                    _ = try cursor.seek(key: "alice".bytes, value: "3".bytes)
                    try cursor.deleteCurrent()
                }
            }
            try environment.read { transaction throws in
                #expect(try transaction.values(in: index, key: "alice".bytes) == ["1".bytes])
                #expect(try transaction.values(in: index, key: "bob".bytes) == ["9".bytes])
            }
            try environment.write { transaction throws in
                #expect(try transaction.delete(index, key: "alice".bytes))
                try transaction.removeAll(index)
            }
            #expect(try environment.read { try $0.statistics(index).entries } == 0)
        }
    }

    @Test("code written against LMDBReadable serves read and write transactions alike")
    func readableGeneric() throws {
        func count(_ transaction: borrowing some LMDBReadable & ~Copyable, _ database: LMDBDatabase) throws -> Int {
            var count = 0
            try transaction.forEach(in: database) { _ in
                count += 1
                return true
            }
            return count
        }
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let entries = try environment.openDatabase("entries")
            try environment.write { transaction throws in
                try transaction.put(entries, key: "a".bytes, value: [])
                #expect(try count(transaction, entries) == 1)
                #expect(try transaction.get(entries, key: "a".bytes) == [])
            }
            #expect(try environment.read { try count($0, entries) } == 1)
        }
    }
}

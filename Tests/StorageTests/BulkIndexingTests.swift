import DemoData
import LDAPProtocol
import Testing

@testable import Storage

/// The bulk loader computes index keys on its own path (slots, packed grams); `verify` recomputes every key
/// with the entry-by-entry indexer, so a clean report shows the two paths agree.
@Suite("bulk indexing agrees with the entry-by-entry indexer")
struct BulkIndexingTests {
    @Test("300 generated people loaded in batches verify clean, with counters equal to a recount")
    func bulkLoadVerifiesClean() throws {
        let generator = try DemoDataGenerator(options: DemoDataOptions(people: 300, seed: 9, suffix: suffix.description))
        let generated = try generator.generateInMemory()
        try withTemporaryDataDirectory { (directory: String) throws in
            let summary = try bulkLoad(String(decoding: generated.ldif, as: UTF8.self), into: directory, batchSize: 64)
            #expect(summary.entries == generated.summary.entries)
            let store = try openStore(directory)
            let report = try store.verify()
            #expect(report.isClean, "\(report.findings.prefix(5))")
            #expect(report.entries == generated.summary.entries)
            #expect(try store.counts() == store.recount())
        }
    }
}

@Suite("generated entryUUIDs")
struct GeneratedUUIDTests {
    @Test("random UUIDs are RFC 9562 version 4, lower case, and distinct")
    func versionFourAndDistinct() {
        var seen: Set<String> = []
        for _ in 0..<2_000 {
            let uuid = OperationalAttributeFiller.randomUUID()
            let characters = Array(uuid)
            #expect(characters.count == 36 && uuid == uuid.lowercased())
            #expect(characters[8] == "-" && characters[13] == "-" && characters[18] == "-" && characters[23] == "-")
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
            seen.insert(uuid)
        }
        #expect(seen.count == 2_000)
    }
}

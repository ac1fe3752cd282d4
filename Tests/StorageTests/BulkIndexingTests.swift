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

import DemoData
import Foundation
import LDAPProtocol
import Schema
import Storage
import Testing

/// A data directory holding a store of generated people under the default suffix, written by the test process.
enum CLIStoreFixture {
    static let suffix = "dc=dgfip,dc=finances,dc=gouv,dc=fr"

    static func context() throws -> SchemaContext {
        SchemaContext(schema: try Schema(directory: TestSupport.schemaDirectory))
    }

    /// Opens (creating) the store in `directory`, read-write.
    static func openStore(_ directory: String) throws -> DirectoryStore {
        var configuration = LMDBConfiguration(mapSize: 64 << 20, maxMapSize: 1 << 30)
        configuration.durability = .noSync
        let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
        return try DirectoryStore(
            environment: environment, context: try context(), namingContexts: [try DistinguishedName(suffix)])
    }

    /// A new data directory with `people` generated people (and their structures); the store, still open.
    static func populated(people: Int) throws -> (directory: String, store: DirectoryStore) {
        let directory = try TestSupport.temporaryDirectory() + "/data"
        let store = try openStore(directory)
        let generated = try DemoDataGenerator(options: DemoDataOptions(people: people, seed: 3)).generateInMemory()
        var reader = LDIFReader(bytes: generated.ldif)
        while let record = try reader.next() {
            guard case .content(let ldif) = record else { continue }
            try store.add(
                Entry(
                    dn: try DistinguishedName(ldif.dn),
                    attributes: ldif.attributes.map {
                        EntryAttribute(description: AttributeDescription($0.description), values: $0.values)
                    }))
        }
        return (directory, store)
    }

    /// A configuration file naming `dataDirectory`.
    static func configFile(dataDirectory: String) throws -> String {
        try TestSupport.write("data-dir = \"\(dataDirectory)\"\n")
    }

    static let environment = ["ANNUAIRE_SCHEMA_DIRECTORY": TestSupport.schemaDirectory]
}

@Suite("annuaire verify, end to end")
struct VerifyCommandTests {
    @Test("a consistent store beside its writer exits 0; a corrupted copy exits 1 and names the inconsistency")
    func cleanAndCorrupt() throws {
        let (directory, store) = try CLIStoreFixture.populated(people: 100)
        let clean = try EndToEndTests.run(
            ["verify", "--config", try CLIStoreFixture.configFile(dataDirectory: directory)],
            environment: CLIStoreFixture.environment)
        #expect(clean.status == 0, "stderr: \(clean.standardError)\nstdout: \(clean.outputText)")
        #expect(clean.outputText.hasPrefix("annuaire verify: clean: "), "\(clean.outputText)")

        // A copy, corrupted on purpose: one index pair removed, one counter changed.
        let copy = try TestSupport.temporaryDirectory()
        try store.environment.copy(to: copy + "/annuaire.mdb")
        do {
            let environment = try LMDBEnvironment(directory: copy)
            let index = try environment.openDatabase("eq:2.5.4.4", flags: [.duplicateSort, .duplicateFixed])
            let counters = try environment.openDatabase("counters", flags: [])
            try environment.write { transaction in
                let first = try transaction.withCursor(index) { cursor in
                    try cursor.first().map { ($0.keyBytes, $0.valueBytes) }
                }
                let (key, value) = try #require(first)
                _ = try transaction.delete(index, key: key, value: value)
                try transaction.put(counters, key: Array("count:total".utf8), value: [0, 0, 0, 0, 0, 0, 0, 1])
            }
        }
        let corrupt = try EndToEndTests.run(
            ["verify", "--config", try CLIStoreFixture.configFile(dataDirectory: copy)],
            environment: CLIStoreFixture.environment)
        #expect(corrupt.status == 1, "stderr: \(corrupt.standardError)")
        let lines = corrupt.outputText.split(separator: "\n")
        #expect(lines.count == 3, "\(corrupt.outputText)")
        #expect(lines.contains { $0.hasPrefix("missing-index-key eq:2.5.4.4 key ") })
        #expect(lines.contains { $0.hasPrefix("counter-drift counters key count:total: stored 1, recounted ") })
        #expect(
            lines.last?.hasPrefix("annuaire verify: 2 inconsistencies (missing-index-key 1, counter-drift 1): ")
                == true)
    }

    @Test("no database exits 66; an invalid configuration exits 78")
    func failures() throws {
        let empty = try TestSupport.temporaryDirectory() + "/none"
        let missing = try EndToEndTests.run(
            ["verify", "--config", try CLIStoreFixture.configFile(dataDirectory: empty)],
            environment: CLIStoreFixture.environment)
        #expect(missing.status == 66)
        #expect(missing.standardError.contains("annuaire verify: no database in \(empty)"), "\(missing.standardError)")

        let invalid = try EndToEndTests.run(
            ["verify", "--listen", "http://127.0.0.1:80"], environment: CLIStoreFixture.environment)
        #expect(invalid.status == 78)
        #expect(invalid.standardError.contains("annuaire: invalid configuration: listen"))
    }
}

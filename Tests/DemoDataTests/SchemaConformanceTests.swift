import DemoData
import Foundation
import LDAPProtocol
import Schema
import Testing

/// Every generated entry conforms to the shipped schema files (`schema/`), as the server checks on import.
@Suite struct SchemaConformanceTests {
    static let schemaDirectory: String = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // DemoDataTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // root
        .appendingPathComponent("schema").path

    @Test func everyEntryConformsToTheShippedSchema() throws {
        let context = SchemaContext(schema: try Schema(directory: Self.schemaDirectory))
        let directory = try GeneratedDirectory.standard.get()
        var checked = 0
        for ldifEntry in directory.entries {
            let entry = Entry(
                dn: try DistinguishedName(ldifEntry.dn),
                attributes: ldifEntry.attributes.map {
                    EntryAttribute(description: AttributeDescription($0.description), values: $0.values)
                }
            )
            let violation = context.validate(entry)
            #expect(violation == nil, "\(ldifEntry.dn): \(violation.map { "\($0)" } ?? "")")
            checked += 1
        }
        #expect(checked == directory.summary.entries)
    }

    @Test func otherSuffixKindsConformToo() throws {
        let context = SchemaContext(schema: try Schema(directory: Self.schemaDirectory))
        for suffix in ["o=Example", "ou=Demo,dc=example,dc=org"] {
            let result = try DemoDataGenerator(options: DemoDataOptions(people: 20, suffix: suffix)).generateInMemory()
            for ldifEntry in try readEntries(result.ldif) {
                let entry = Entry(
                    dn: try DistinguishedName(ldifEntry.dn),
                    attributes: ldifEntry.attributes.map {
                        EntryAttribute(description: AttributeDescription($0.description), values: $0.values)
                    }
                )
                let violation = context.validate(entry)
                #expect(violation == nil, "\(ldifEntry.dn): \(violation.map { "\($0)" } ?? "")")
            }
        }
    }
}

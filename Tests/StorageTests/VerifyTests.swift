import DemoData
import Foundation
import LDAPProtocol
import Schema
import Testing

@testable import Storage

/// A store of generated people (DemoData, 500 people, seed 7, under `dc=example,dc=com`) added through
/// ``DirectoryStore/add(_:validation:)``, built once per process; each test corrupts its own copy of the file.
enum VerifyFixture {
    static var templateDirectory: String {
        FileManager.default.temporaryDirectory.appendingPathComponent("annuaire-verify-template-\(getpid())").path
    }

    static let template: Result<(directory: String, entries: Int), any Error> = Result {
        let directory = templateDirectory
        atexit {
            try? FileManager.default.removeItem(atPath: VerifyFixture.templateDirectory)
        }
        let generated = try DemoDataGenerator(options: DemoDataOptions(people: 500, seed: 7, suffix: "\(suffix)"))
            .generateInMemory()
        var reader = LDIFReader(bytes: generated.ldif)
        var count = 0
        let store = try openStore(directory)
        while let record = try reader.next() {
            guard case .content(let ldif) = record else { continue }
            try store.add(
                Entry(
                    dn: try DistinguishedName(ldif.dn),
                    attributes: ldif.attributes.map {
                        EntryAttribute(description: AttributeDescription($0.description), values: $0.values)
                    }))
            count += 1
        }
        return (directory, count)
    }

    /// Runs `body` with a store opened on a fresh copy of the template.
    static func withCopy<T>(_ body: (DirectoryStore) throws -> T) throws -> T {
        let template = try template.get()
        return try withTemporaryDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: template.directory + "/annuaire.mdb", toPath: directory + "/annuaire.mdb")
            return try body(try openStore(directory))
        }
    }
}

/// The id and entry of the person with this uid.
func person(uid: String, in store: DirectoryStore) throws -> (EntryID, Entry) {
    let found = try allEntries(store).first { $0.value.stringValues(of: "uid").contains(uid) }
    let (id, entry) = try #require(found)
    return (id, entry)
}

/// Some person of the generated store: the first entry with a uid and an `inetOrgPerson` class.
func somePerson(in store: DirectoryStore) throws -> (EntryID, Entry) {
    let found = try allEntries(store).sorted { $0.key < $1.key }.first {
        $0.value.objectClasses.contains("inetOrgPerson") && !$0.value.stringValues(of: "uid").isEmpty
    }
    return try #require(found)
}

@Suite("verify: a store checked against itself")
struct VerifyTests {
    @Test("a store of 500 generated people, added entry by entry, verifies clean")
    func cleanStore() throws {
        let expected = try VerifyFixture.template.get().entries
        try VerifyFixture.withCopy { store in
            let report = try store.verify()
            #expect(report.isClean, "\(report.findings.prefix(5))")
            #expect(report.findings.isEmpty)
            #expect(report.entries == expected)
            #expect(report.indexPairs > report.entries * 10)
            #expect(report.indexDatabases == store.indexDatabases.count)
            #expect(report.counters >= 3)
            #expect(report.summary.hasPrefix("clean: \(expected) entries"))
        }
    }

    @Test("an index key deleted from its database is a missing-index-key, and nothing else")
    func missingIndexKey() throws {
        try VerifyFixture.withCopy { store in
            let (id, entry) = try somePerson(in: store)
            let name = IndexPlan.databaseName(.equality, oid: "2.5.4.4")  // sn
            let key = try #require(
                store.indexer(store.state.active.plan).indexEntries(of: entry).first { $0.database == name }?.key)
            let database = try #require(store.indexDatabases[name])
            try store.environment.write { transaction in
                _ = try transaction.delete(database, key: key, value: id.bytes)
            }
            let report = try store.verify()
            #expect(report.counts == [.missingIndexKey: 1], "\(report.findings)")
            let finding = try #require(report.findings.first)
            #expect(finding.database == name)
            #expect(finding.id == id)
            #expect(finding.dn == entry.dn.description)
            #expect(finding.key == PrintableKey.text(key))
        }
    }

    @Test("an index key pointing to a missing id, or to an entry without the value, is a dangling-index-key")
    func danglingIndexKey() throws {
        try VerifyFixture.withCopy { store in
            let (id, _) = try somePerson(in: store)
            let name = IndexPlan.databaseName(.equality, oid: "2.5.4.3")  // cn
            let database = try #require(store.indexDatabases[name])
            let missing = EntryID(rawValue: 999_999)
            try store.environment.write { transaction in
                try transaction.put(database, key: Array("nobody at all".utf8), value: missing.bytes)
                try transaction.put(database, key: Array("not this person".utf8), value: id.bytes)
            }
            let report = try store.verify()
            #expect(report.counts == [.danglingIndexKey: 2], "\(report.findings)")
            let findings = report.findings(of: .danglingIndexKey)
            #expect(findings.contains { $0.id == missing && $0.key == "\"nobody at all\"" && $0.database == name })
            #expect(
                findings.contains {
                    $0.id == id && $0.key == "\"not this person\"" && $0.detail.contains("does not have this value")
                })
        }
    }

    @Test("an entry whose parent's record is deleted from entries is an orphan (each child of it)")
    func orphan() throws {
        try VerifyFixture.withCopy { store in
            // A parent with a few children.
            let (parent, children) = try store.environment.read { transaction in
                var found: (EntryID, [EntryID])?
                try transaction.forEach(in: store.entries) { stored in
                    let id = EntryID(bytes: stored.key)!
                    let children = try store.tree.children(of: id, in: transaction)
                    if (1...30).contains(children.count) {
                        found = (id, children)
                        return false
                    }
                    return true
                }
                return try #require(found)
            }
            try store.environment.write { transaction in _ = try transaction.delete(store.entries, key: parent.bytes) }
            let report = try store.verify(maximumFindings: 10_000)
            let orphans = report.findings(of: .orphan)
            #expect(Set(orphans.compactMap(\.id)) == Set(children))
            #expect(orphans.count == children.count)
            // The parent's own records now point at nothing.
            #expect(report.counts[.danglingDN] == 1)
            #expect(report.counts[.danglingParentRecord] == 1)
            #expect(report.counts[.danglingChild] == 1)
            #expect(report.counts[.counterDrift, default: 0] >= 1)
            #expect((report.counts[.danglingIndexKey] ?? 0) > 0)
            #expect(report.counts[.missingIndexKey] == nil)
        }
    }

    @Test("a dn2id key deleted is a missing-dn of its entry, and nothing else")
    func missingDN() throws {
        try VerifyFixture.withCopy { store in
            let (id, entry) = try somePerson(in: store)
            let key = try store.keyMaker.key(for: entry.dn)
            try store.environment.write { transaction in _ = try transaction.delete(store.tree.dn2id, key: key) }
            let report = try store.verify()
            #expect(report.counts == [.missingDN: 1], "\(report.findings)")
            #expect(report.findings.first?.id == id)
            #expect(report.findings.first?.database == "dn2id")
        }
    }

    @Test("a changed counter is a counter-drift naming the counter and both values")
    func counterDrift() throws {
        try VerifyFixture.withCopy { store in
            let total = try store.counts().total
            let key = CounterKey.total.bytes(maxKeySize: store.environment.maxKeySize)
            try store.environment.write { transaction in
                try transaction.put(store.counterBook.database, key: key, value: CounterBook.encode(total + 5))
            }
            let report = try store.verify()
            #expect(report.counts == [.counterDrift: 1], "\(report.findings)")
            let finding = try #require(report.findings.first)
            #expect(finding.key == "count:total")
            #expect(finding.detail == "stored \(total + 5), recounted \(total)")
        }
    }

    @Test("a counter deleted is a drift from 0")
    func counterDeleted() throws {
        try VerifyFixture.withCopy { store in
            let oid = try #require(store.context.objectClass(named: "inetOrgPerson")?.oid)
            let count = try store.counts().count(objectClass: oid)
            try store.environment.write { transaction in
                _ = try transaction.delete(
                    store.counterBook.database,
                    key: CounterKey.objectClass(oid).bytes(maxKeySize: store.environment.maxKeySize))
            }
            let report = try store.verify()
            #expect(report.counts == [.counterDrift: 1])
            #expect(report.findings.first?.key == "count:oc:\(oid)")
            #expect(report.findings.first?.detail == "stored 0 (absent), recounted \(count)")
        }
    }

    @Test("bytes flipped in an encoded entry make an undecodable-entry (and the counts drift without it)")
    func undecodableEntry() throws {
        try VerifyFixture.withCopy { store in
            let (id, _) = try somePerson(in: store)
            try store.environment.write { transaction in
                var bytes = try #require(try transaction.get(store.entries, key: id.bytes))
                bytes[0] ^= 0xFF  // the version byte
                bytes[bytes.count / 2] ^= 0xFF
                try transaction.put(store.entries, key: id.bytes, value: bytes)
            }
            let report = try store.verify()
            #expect(report.counts[.undecodableEntry] == 1)
            #expect(Set(report.counts.keys).isSubset(of: [.undecodableEntry, .counterDrift]), "\(report.findings)")
            let finding = try #require(report.findings(of: .undecodableEntry).first)
            #expect(finding.id == id)
            #expect(finding.database == "entries")
            #expect(finding.detail.contains("version"))
        }
    }

    @Test("parents records that loop are a cycle on each entry of the loop")
    func cycle() throws {
        try VerifyFixture.withCopy { store in
            let (id, _) = try somePerson(in: store)
            let parent = try #require(try store.environment.read { try store.tree.parent(of: id, in: $0) })
            try store.environment.write { transaction in
                try transaction.put(store.tree.parents, key: parent.bytes, value: id.bytes)
            }
            let report = try store.verify(maximumFindings: 10_000)
            #expect(Set(report.findings(of: .cycle).compactMap(\.id)) == [id, parent], "\(report.findings)")
            #expect(report.findings(of: .parentMismatch).map(\.id) == [parent])
        }
    }

    @Test("an emptied index database gives one missing-index-key per pair, all counted, the first N kept")
    func findingsAreCapped() throws {
        try VerifyFixture.withCopy { store in
            let name = IndexPlan.databaseName(.equality, oid: "2.5.4.0")  // objectClass
            let database = try #require(store.indexDatabases[name])
            let pairs = try store.environment.read { try $0.statistics(database).entries }
            try store.environment.write { transaction in try transaction.removeAll(database) }
            let report = try store.verify(maximumFindings: 10)
            #expect(report.counts == [.missingIndexKey: pairs])
            #expect(report.findings.count == 10)
            #expect(report.omittedFindings == pairs - 10)
            #expect(report.summary.hasPrefix("\(pairs) inconsistencies (missing-index-key \(pairs)): "))
        }
    }

    @Test("verify works on a read-only environment, and refuses a directory that holds no store")
    func readOnly() throws {
        let template = try VerifyFixture.template.get()
        try withTemporaryDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: template.directory + "/annuaire.mdb", toPath: directory + "/annuaire.mdb")
            let environment = try LMDBEnvironment(
                directory: directory, configuration: testConfiguration(access: .readOnly))
            let verifier = StoreVerifier(
                environment: environment, context: try StoreSchema.context(), namingContexts: [suffix])
            let report = try verifier.verify()
            #expect(report.isClean)
            #expect(report.entries == template.entries)
        }
        try withTemporaryDataDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            let verifier = StoreVerifier(
                environment: environment, context: try StoreSchema.context(), namingContexts: [suffix])
            let error = #expect(throws: StoreError.self) { try verifier.verify() }
            #expect(error?.message.contains("is not an Annuaire store: it has no 'entries' database") == true)
        }
    }
}

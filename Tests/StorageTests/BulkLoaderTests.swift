import Foundation
import LDAPProtocol
import Schema
import Testing

@testable import Storage

/// Loads `ldif` (written to a file beside `directory`) into the data directory `directory`.
@discardableResult
func bulkLoad(
    _ ldif: String, into directory: String, batchSize: Int = 3, fileName: String = "input.ldif"
) throws(BulkLoadError) -> BulkLoadSummary {
    let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
    let path = parent + "/" + fileName
    try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    try? Data(ldif.utf8).write(to: URL(fileURLWithPath: path))
    let context: SchemaContext
    do { context = try StoreSchema.context() } catch { fatalError("schema: \(error)") }
    let loader = BulkLoader(
        dataDirectory: directory,
        context: context,
        namingContexts: [suffix],
        indexes: .partnerDirectory,
        options: BulkLoadOptions(
            rootDN: try! DistinguishedName("cn=admin,dc=example,dc=com"),
            now: 1_735_787_045,  // 2025-01-02T03:04:05Z
            batchSize: batchSize,
            environment: testConfiguration(mapSize: 64 << 20, maxMapSize: 1 << 30)))
    return try loader.load(path: path)
}

/// The export of the data directory `directory` (opened read-only), as text.
func exportText(_ directory: String, base: DistinguishedName? = nil) throws -> String {
    let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration(access: .readOnly))
    let exporter = try DirectoryExporter(environment: environment, context: try StoreSchema.context())
    var output: [UInt8] = []
    try exporter.export(base: base, chunkSize: 64) { output += $0 }
    return String(decoding: output, as: UTF8.self)
}

/// A small tree: the suffix, two units, people in both (the second with a `{SSHA}` password and a base64 value).
let smallTree = """
    version: 1

    # the suffix
    dn: dc=example,dc=com
    objectClass: top
    objectClass: domain
    dc: example

    dn: ou=people,dc=example,dc=com
    objectClass: top
    objectClass: organizationalUnit
    ou: people

    dn: ou=groups,dc=example,dc=com
    objectClass: top
    objectClass: organizationalUnit
    ou: groups

    dn: uid=alice,ou=people,dc=example,dc=com
    objectClass: inetOrgPerson
    uid: alice
    cn: Alice Martin
    sn: Martin
    mail: alice@example.com

    dn: uid=bob,ou=people,dc=example,dc=com
    objectClass: inetOrgPerson
    uid: bob
    cn: Bob Durand
    sn: Durand
    description:: w6l0w6k=
    userPassword: {SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g/gwZF

    dn: cn=staff,ou=groups,dc=example,dc=com
    objectClass: groupOfNames
    cn: staff
    member: uid=alice,ou=people,dc=example,dc=com

    """

@Suite("Bulk load and export")
struct BulkLoaderTests {
    @Test func loadsATreeWithIndexesCountersAndGeneratedOperationalAttributes() throws {
        try withTemporaryDataDirectory { (directory: String) throws in
            let summary = try bulkLoad(smallTree, into: directory)
            #expect(summary.entries == 6)
            let store = try openStore(directory)
            let bob = try #require(try store.entry(dn: dn("uid=bob,ou=people,dc=example,dc=com")))
            #expect(bob.values(of: "userPassword") == [Array("{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g/gwZF".utf8)])
            #expect(bob.values(of: "description") == [Array("été".utf8)])
            #expect(bob.stringValues(of: "createTimestamp") == ["20250102030405Z"])
            #expect(bob.stringValues(of: "modifyTimestamp") == ["20250102030405Z"])
            #expect(bob.stringValues(of: "creatorsName") == ["cn=admin,dc=example,dc=com"])
            #expect(bob.stringValues(of: "modifiersName") == ["cn=admin,dc=example,dc=com"])
            let uuid = try #require(bob.stringValues(of: "entryUUID").first)
            #expect(uuid.count == 36 && uuid == uuid.lowercased() && Array(uuid)[14] == "4")
            // Indexes: an equality search answers through eq:uid; counters agree with a recount.
            let found = try store.search(
                base: suffix, scope: .wholeSubtree, filter: .equalityMatch(.init("uid", "alice")))
            #expect(found.entries.map(\.entry.dn.description) == ["uid=alice,ou=people,dc=example,dc=com"])
            #expect(try store.counts() == store.recount())
            #expect(try store.counts().counters[.total] == 6)
            // New writes after a bulk load get fresh ids.
            try store.add(person("carol"))
            #expect(try store.counts().counters[.total] == 7)
        }
    }

    @Test func keepsOperationalAttributesGivenInTheFile() throws {
        let ldif = """
            dn: dc=example,dc=com
            objectClass: domain
            dc: example
            structuralObjectClass: domain
            entryUUID: a0f70a38-7d25-1041-8ffe-879b7b48131c
            creatorsName: cn=manager,dc=example,dc=com
            createTimestamp: 20191125140952Z
            entryCSN: 20191125140952.899832Z#000000#000#000000
            modifiersName: cn=someone,dc=example,dc=com
            modifyTimestamp: 20201125140952Z
            contextCSN: 20201125140952.899832Z#000000#000#000000

            """
        try withTemporaryDataDirectory { (directory: String) throws in
            try bulkLoad(ldif, into: directory)
            let store = try openStore(directory)
            let entry = try #require(try store.entry(dn: suffix))
            #expect(entry.stringValues(of: "entryUUID") == ["a0f70a38-7d25-1041-8ffe-879b7b48131c"])
            #expect(entry.stringValues(of: "createTimestamp") == ["20191125140952Z"])
            #expect(entry.stringValues(of: "modifyTimestamp") == ["20201125140952Z"])
            #expect(entry.stringValues(of: "creatorsName") == ["cn=manager,dc=example,dc=com"])
            #expect(entry.stringValues(of: "modifiersName") == ["cn=someone,dc=example,dc=com"])
            #expect(entry.stringValues(of: "entryCSN") == ["20191125140952.899832Z#000000#000#000000"])
            #expect(entry.attributes.filter { $0.description.type == "entryUUID" }.count == 1)
        }
    }

    @Test func exportIsParentsFirstAndReloadsByteIdentically() throws {
        try withTemporaryDataDirectory { (first: String) throws in
            try bulkLoad(smallTree, into: first, batchSize: 2)
            let exported = try exportText(first)
            #expect(exported.hasPrefix("version: 1\ndn: dc=example,dc=com\n"))
            let dns = exported.split(separator: "\n").filter { $0.hasPrefix("dn: ") }.map { String($0.dropFirst(4)) }
            #expect(
                dns == [
                    "dc=example,dc=com", "ou=people,dc=example,dc=com", "uid=alice,ou=people,dc=example,dc=com",
                    "uid=bob,ou=people,dc=example,dc=com", "ou=groups,dc=example,dc=com",
                    "cn=staff,ou=groups,dc=example,dc=com",
                ])
            #expect(exported.contains("userPassword: {SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g/gwZF\n"))
            #expect(exported.contains("description:: w6l0w6k=\n"))
            try withTemporaryDataDirectory { (second: String) throws in
                try bulkLoad(exported, into: second, batchSize: 4)
                #expect(try exportText(second) == exported)
            }
            let subtree = try exportText(first, base: dn("ou=PEOPLE,dc=example,dc=com"))
            #expect(subtree.components(separatedBy: "\ndn: ").count == 4)  // the version line, then three entries
            #expect(subtree.hasPrefix("version: 1\ndn: ou=people,dc=example,dc=com\n"))
            #expect(throws: DirectoryExporter.Failure.self) { try exportText(first, base: dn("ou=nobody,dc=example,dc=com")) }
        }
    }

    /// Bad records: what is wrong, the record, a piece of the reason, and the faulty line's offset in the record
    /// (LDIF errors name the line of the fault, the others the record's `dn:` line).
    static let badRecords: [(name: String, record: String, reason: String, offset: Int)] = [
        ("schema violation", "dn: uid=eve,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: eve\ncn: Eve\n",
         "objectClassViolation", 0),
        ("unknown attribute", "dn: uid=eve,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: eve\ncn: Eve\nsn: E\nshoeSize: 42\n",
         "undefinedAttributeType", 0),
        ("bad DN", "dn: uid=eve,,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: eve\ncn: Eve\nsn: E\n", "distinguished name", 0),
        ("missing parent", "dn: uid=eve,ou=nowhere,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: eve\ncn: Eve\nsn: E\n",
         "noSuchObject", 0),
        ("duplicate", "dn: uid=ALICE,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: alice\ncn: A\nsn: A\n",
         "entryAlreadyExists", 0),
        ("LDIF syntax", "dn: uid=eve,ou=people,dc=example,dc=com\nobjectClass inetOrgPerson\n", "no ':'", 1),
        ("bad base64", "dn: uid=eve,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\ncn:: !!!\n", "base64", 2),
        ("change record", "dn: uid=alice,ou=people,dc=example,dc=com\nchangetype: delete\n", "changetype", 0),
    ]

    @Test(arguments: 0..<8)
    func aBadRecordNamesItsLineAndLoadsNothing(_ which: Int) throws {
        let bad = Self.badRecords[which]
        // Good records, then the bad one, then more good ones (some batches committed before the failure).
        let head = smallTree + "\n"
        let badLine = head.split(separator: "\n", omittingEmptySubsequences: false).count + bad.offset
        var ldif = head + bad.record + "\n"
        for index in 0..<10 {
            ldif += "dn: uid=p\(index),ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: p\(index)\n"
                + "cn: P\nsn: P\n\n"
        }
        // Into an empty database, and into one holding entries already.
        try withTemporaryDataDirectory { (directory: String) throws in
            let error = #expect(throws: BulkLoadError.self) { try bulkLoad(ldif, into: directory, batchSize: 2) }
            #expect(error?.kind == .data, "\(bad.name)")
            #expect(error?.line == badLine, "\(bad.name): \(String(describing: error))")
            #expect(error?.description.contains("input.ldif:\(badLine): ") == true)
            #expect(error?.reason.contains(bad.reason) == true, "\(bad.name): \(String(describing: error))")
            #expect(try exportText(directory) == "version: 1\n")
            #expect(!FileManager.default.fileExists(atPath: directory + "/" + BulkLoader.stagingName))
        }
        try withTemporaryDataDirectory { (directory: String) throws in
            try bulkLoad(Self.otherTree, into: directory)
            let before = try exportText(directory)
            #expect(before.contains("dn: ou=other,dc=example,dc=com"))
            let shifted = ldif.replacingOccurrences(of: "dn: dc=example,dc=com\nobjectClass: top\nobjectClass: domain\ndc: example\n\n", with: "")
            #expect(throws: BulkLoadError.self) { try bulkLoad(shifted, into: directory, batchSize: 2) }
            #expect(try exportText(directory) == before)
            let store = try openStore(directory)
            #expect(try store.counts() == store.recount())
        }
    }

    static let otherTree = """
        dn: dc=example,dc=com
        objectClass: domain
        dc: example

        dn: ou=other,dc=example,dc=com
        objectClass: organizationalUnit
        ou: other

        """

    @Test func loadsIntoADatabaseThatHasEntries() throws {
        try withTemporaryDataDirectory { (directory: String) throws in
            try bulkLoad(Self.otherTree, into: directory)
            let rest = smallTree.replacingOccurrences(
                of: "# the suffix\ndn: dc=example,dc=com\nobjectClass: top\nobjectClass: domain\ndc: example\n\n", with: "")
            try bulkLoad(rest, into: directory)
            let store = try openStore(directory)
            #expect(try store.counts().counters[.total] == 7)
            #expect(try store.counts() == store.recount())
            #expect(try store.entry(dn: dn("uid=alice,ou=people,dc=example,dc=com")) != nil)
        }
    }

    @Test func aVersionLineLaterInTheFileIsAnError() throws {
        try withTemporaryDataDirectory { (directory: String) throws in
            let error = #expect(throws: BulkLoadError.self) {
                try bulkLoad(Self.otherTree + "\nversion: 1\n", into: directory)
            }
            #expect(error?.line == 9)
            #expect(error?.reason.contains("version") == true)
        }
    }

    @Test func aMissingFileIsAnInputError() throws {
        try withTemporaryDataDirectory { (directory: String) throws in
            let context = try StoreSchema.context()
            let loader = BulkLoader(
                dataDirectory: directory, context: context, namingContexts: [suffix], indexes: .partnerDirectory,
                options: BulkLoadOptions(rootDN: suffix, now: 0, environment: testConfiguration()))
            let error = #expect(throws: BulkLoadError.self) { try loader.load(path: directory + "/../absent.ldif") }
            #expect(error?.kind == .inputOutput)
            #expect(error?.exitStatus == 74)
        }
    }

    @Test func generalizedTimeOfKnownInstants() {
        #expect(OperationalAttributeFiller.generalizedTime(secondsSince1970: 0) == "19700101000000Z")
        #expect(OperationalAttributeFiller.generalizedTime(secondsSince1970: 951_782_400) == "20000229000000Z")
        #expect(OperationalAttributeFiller.generalizedTime(secondsSince1970: 1_735_787_045) == "20250102030405Z")
        #expect(OperationalAttributeFiller.generalizedTime(secondsSince1970: 4_102_444_799) == "20991231235959Z")
    }
}

import Foundation
import LDAPProtocol
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `annuaire import` and `annuaire export`, run as an operator runs them.
@Suite("annuaire import and export, end to end")
struct ImportCommandTests {
    static let environment = TestSupport.baseEnvironment

    static func annuaire(_ arguments: [String]) throws -> EndToEndTests.Run {
        try EndToEndTests.run(arguments, environment: environment)
    }

    static func read(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func dnCount(_ bytes: [UInt8]) -> Int {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("dn:") }.count
    }

    @Test func demoDataImportsExportsAndReimportsByteIdentically() throws {
        let work = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let demo = work + "/demo.ldif"
        let generated = try Self.annuaire(["demo-data", "--people", "2000", "--seed", "11", demo])
        try #require(generated.status == 0, "\(generated.standardError)")

        let first = try Self.annuaire(["import", "--data-dir", work + "/one", "--batch-size", "500", demo])
        try #require(first.status == 0, "\(first.standardError)")
        let entries = Self.dnCount(try Self.read(demo))
        #expect(first.standardError.contains("annuaire import: \(entries) entries in "))
        #expect(first.standardError.contains(" entries/s)"))
        #expect(!first.standardError.contains("\r"), "no progress line when standard error is not a terminal")

        let exported = try Self.annuaire(["export", "--data-dir", work + "/one", work + "/one.ldif"])
        try #require(exported.status == 0, "\(exported.standardError)")
        let one = try Self.read(work + "/one.ldif")
        #expect(Self.dnCount(one) == entries)
        #expect(one.starts(with: Array("version: 1\ndn: dc=dgfip,dc=finances,dc=gouv,dc=fr\n".utf8)))
        let text = String(decoding: one, as: UTF8.self)
        #expect(text.contains("\nentryUUID: ") && text.contains("\ncreateTimestamp: "))
        #expect(text.contains("\nuserPassword: {SSHA}"))

        let second = try Self.annuaire(["import", "--data-dir", work + "/two", work + "/one.ldif"])
        try #require(second.status == 0, "\(second.standardError)")
        let toStandardOutput = try Self.annuaire(["export", "--data-dir", work + "/two"])
        #expect(toStandardOutput.status == 0)
        #expect(toStandardOutput.standardOutput == one, "import → export → import → export is byte-identical")

        let subtree = try Self.annuaire([
            "export", "--data-dir", work + "/two", "--base", "ou=structures,dc=dgfip,dc=finances,dc=gouv,dc=fr",
        ])
        #expect(subtree.status == 0, "\(subtree.standardError)")
        let missing = try Self.annuaire(["export", "--data-dir", work + "/two", "--base", "ou=nope,dc=example"])
        #expect(missing.status == 66)
    }

    /// slapd's test tree: plain inetOrgPerson entries (aspasie's types are unknown to slapd).
    static let slapdInput = """
        dn: dc=example,dc=com
        objectClass: top
        objectClass: dcObject
        objectClass: organization
        o: Example
        dc: example

        dn: ou=people,dc=example,dc=com
        objectClass: organizationalUnit
        ou: people

        dn: uid=jdoe,ou=people,dc=example,dc=com
        objectClass: inetOrgPerson
        uid: jdoe
        cn: John Doe
        sn: Doe
        userPassword: {SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g/gwZF
        description:: w6l0w6k=

        dn: uid=asmith,ou=people,dc=example,dc=com
        objectClass: inetOrgPerson
        uid: asmith
        cn: Ann Smith
        sn: Smith
        mail: ann.smith@example.com
        userPassword: {SSHA}aGVsbG8gd29ybGQgdGhpcyBpcyBzYWx0

        """

    @Test func slapcatOutputImportsKeepingOperationalAttributesAndPasswords() throws {
        let slapadd = "/usr/sbin/slapadd", slapcat = "/usr/sbin/slapcat"
        try #require(
            FileManager.default.isExecutableFile(atPath: slapadd),
            "OpenLDAP's slapd is needed (make test installs it: APT_PACKAGES slapd)")
        let work = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: work + "/slapd-db", withIntermediateDirectories: true)
        let configuration = """
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            modulepath /usr/lib/ldap
            moduleload back_mdb
            database mdb
            suffix "dc=example,dc=com"
            rootdn "cn=admin,dc=example,dc=com"
            directory \(work)/slapd-db

            """
        let conf = try TestSupport.write(configuration, name: "slapd.conf", in: work)
        let input = try TestSupport.write(Self.slapdInput, name: "input.ldif", in: work)
        try #require(try Self.tool(slapadd, ["-f", conf, "-l", input]) == 0)
        try #require(try Self.tool(slapcat, ["-f", conf, "-l", work + "/slapcat.ldif"]) == 0)

        let imported = try Self.annuaire([
            "import", "--data-dir", work + "/data", "--suffix", "dc=example,dc=com", work + "/slapcat.ldif",
        ])
        try #require(imported.status == 0, "\(imported.standardError)")
        let exported = try Self.annuaire(["export", "--data-dir", work + "/data", "--suffix", "dc=example,dc=com"])
        try #require(exported.status == 0, "\(exported.standardError)")

        var slapcatReader = try LDIFReader(path: work + "/slapcat.ldif")
        let original = try slapcatReader.readAll()
        var exportReader = LDIFReader(bytes: exported.standardOutput)
        let reloaded = try exportReader.readAll()
        try #require(original.count == 4 && reloaded.count == 4)
        for (before, after) in zip(original, reloaded) {
            guard case .content(let before) = before, case .content(let after) = after else {
                Issue.record("not content records")
                continue
            }
            #expect(before.dn == after.dn)
            let kept = [
                "entryUUID", "createTimestamp", "modifyTimestamp", "creatorsName", "modifiersName", "entryCSN",
                "structuralObjectClass", "userPassword", "description",
            ]
            for name in kept {
                #expect(before[name]?.values == after[name]?.values, "\(before.dn) \(name)")
            }
            #expect(before["entryUUID"] != nil && before["entryCSN"] != nil, "slapcat wrote operational attributes")
        }
        let jdoe = reloaded.first { $0.dn.hasPrefix("uid=jdoe") }
        if case .content(let entry)? = jdoe {
            #expect(entry["userPassword"]?.values == [Array("{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g/gwZF".utf8)])
        }
    }

    @Test func aBadRecordExitsWithItsLineAndLeavesTheDatabaseAsItWas() throws {
        let work = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let data = work + "/data"
        let base = try TestSupport.write(
            """
            dn: dc=dgfip,dc=finances,dc=gouv,dc=fr
            objectClass: domain
            dc: dgfip

            dn: ou=people,dc=dgfip,dc=finances,dc=gouv,dc=fr
            objectClass: organizationalUnit
            ou: people

            """, name: "base.ldif", in: work)
        try #require(try Self.annuaire(["import", "--data-dir", data, base]).status == 0)
        let before = try Self.annuaire(["export", "--data-dir", data]).standardOutput

        var lines = ["version: 1", ""]
        for index in 0..<50 {
            lines += [
                "dn: uid=u\(index),ou=people,dc=dgfip,dc=finances,dc=gouv,dc=fr", "objectClass: inetOrgPerson",
                "uid: u\(index)", "cn: U \(index)", "sn: U", "",
            ]
        }
        let badLine = lines.count + 1
        lines += ["dn: uid=bad,ou=people,dc=dgfip,dc=finances,dc=gouv,dc=fr", "objectClass: inetOrgPerson", "uid: bad", ""]
        lines += ["dn: uid=after,ou=people,dc=dgfip,dc=finances,dc=gouv,dc=fr", "objectClass: inetOrgPerson", "cn: a", "sn: a", ""]
        let bad = try TestSupport.write(lines.joined(separator: "\n"), name: "bad.ldif", in: work)

        let run = try Self.annuaire(["import", "--data-dir", data, "--batch-size", "10", bad])
        #expect(run.status == 65)
        #expect(run.standardError.contains("\(bad):\(badLine): objectClassViolation"), "\(run.standardError)")
        #expect(run.standardError.contains("nothing was loaded"))
        #expect(try Self.annuaire(["export", "--data-dir", data]).standardOutput == before)
        #expect(!FileManager.default.fileExists(atPath: data + "/import-staging"))

        let absent = try Self.annuaire(["import", "--data-dir", data, work + "/absent.ldif"])
        #expect(absent.status == 74)
        #expect(absent.standardError.contains("absent.ldif: cannot open"))
    }

    @Test func aRunningServerKeepsImportOut() throws {
        let work = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let data = work + "/data"
        let ldif = try TestSupport.write(
            "dn: dc=dgfip,dc=finances,dc=gouv,dc=fr\nobjectClass: domain\ndc: dgfip\n", name: "one.ldif", in: work)
        try #require(try Self.annuaire(["import", "--data-dir", data, ldif]).status == 0)
        // Hold the data-directory lock as the server does.
        let descriptor = open(data + "/annuaire.lock", O_RDWR)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let run = try Self.annuaire(["import", "--data-dir", data, ldif])
        #expect(run.status == 75, "\(run.standardError)")
        #expect(run.standardError.contains("in use"))
        // Export only reads: it runs beside the server.
        let exported = try Self.annuaire(["export", "--data-dir", data])
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(Self.dnCount(exported.standardOutput) == 1)
    }

    /// Runs a tool quietly; its exit status.
    static func tool(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

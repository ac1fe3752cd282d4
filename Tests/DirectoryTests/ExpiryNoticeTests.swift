import Directory
import Foundation
import LDAPProtocol
import Logging
import Schema
import Storage
import Testing

/// The password-expiry notices (docs/expiry-notices.md): which people are due for which threshold, the ledger
/// that keeps a rerun from sending twice, and the French rendering. Real LMDB stores in temporary directories.
@Suite("Expiry notices")
struct ExpiryNoticeTests {
    static let day: Int64 = 86_400 * 1_000_000
    /// 2026-12-01T08:00:00Z.
    static let now: Int64 = 1_796_112_000 * 1_000_000
    static let maxAgeDays: Int64 = 90

    /// A store with a default policy (90 days), a 30-day policy for `short`, and people whose password expires
    /// in the given number of days (fractional) from `now`.
    final class Fixture {
        let directory: String
        let store: DirectoryStore
        let ledger: ExpiryNoticeLedger

        init() throws {
            directory =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("annuaire-expiry-\(UUID().uuidString)").path
            var lmdb = LMDBConfiguration(mapSize: 32 << 20, maxMapSize: 1 << 30, growthThreshold: nil)
            lmdb.durability = .noSync
            let environment = try LMDBEnvironment(directory: directory + "/db", configuration: lmdb)
            store = try DirectoryStore(
                environment: environment, context: try TestSchema.context(),
                namingContexts: [try DistinguishedName("dc=example,dc=com")])
            ledger = try ExpiryNoticeLedger(dataDirectory: directory)
            try add("dc=example,dc=com", [("objectClass", ["top", "domain"]), ("dc", ["example"])])
            try add("ou=people,dc=example,dc=com", [("objectClass", ["organizationalUnit"]), ("ou", ["people"])])
            try add(
                "cn=default,dc=example,dc=com",
                [
                    ("objectClass", ["device", "pwdPolicy"]), ("cn", ["default"]), ("pwdAttribute", ["userPassword"]),
                    ("pwdMaxAge", ["\(ExpiryNoticeTests.maxAgeDays * 86_400)"]),
                ])
            try add(
                "cn=short,dc=example,dc=com",
                [
                    ("objectClass", ["device", "pwdPolicy"]), ("cn", ["short"]), ("pwdAttribute", ["userPassword"]),
                    ("pwdMaxAge", ["\(30 * 86_400)"]),
                ])
            try add(
                "cn=never,dc=example,dc=com",
                [("objectClass", ["device", "pwdPolicy"]), ("cn", ["never"]), ("pwdAttribute", ["userPassword"])])
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func add(_ dn: String, _ attributes: [(String, [String])]) throws {
            var entry = Entry(dn: try DistinguishedName(dn), attributes: attributes.map { EntryAttribute($0.0, $0.1) })
            if entry.values(of: "entryUUID").isEmpty && dn.hasPrefix("uid=") {
                entry.attributes.append(EntryAttribute("entryUUID", [UUID().uuidString.lowercased()]))
            }
            _ = try store.add(entry)
        }

        /// A person whose password (under `policy`, default 90 days) expires `days` after `now`.
        func person(
            _ uid: String, expiresIn days: Double, policyMaxAgeDays: Int64 = ExpiryNoticeTests.maxAgeDays,
            mail: Bool = true, extra: [(String, [String])] = []
        ) throws {
            let changed =
                ExpiryNoticeTests.now + Int64(days * Double(ExpiryNoticeTests.day))
                - policyMaxAgeDays * ExpiryNoticeTests.day
            var attributes: [(String, [String])] = [
                ("objectClass", ["inetOrgPerson"]), ("uid", [uid]), ("cn", ["Élodie \(uid)"]), ("sn", ["Martin"]),
                ("givenName", ["Élodie"]), ("pwdChangedTime", [ExpiryNoticeTime.text(changed)]),
            ]
            if mail { attributes.append(("mail", ["\(uid)@example.fr"])) }
            try add("uid=\(uid),ou=people,dc=example,dc=com", attributes + extra)
        }

        func setChangedTime(_ uid: String, _ time: Int64) throws {
            try store.modify(dn: try DistinguishedName("uid=\(uid),ou=people,dc=example,dc=com")) { entry in
                entry.attributes.removeAll { $0.description == AttributeDescription("pwdChangedTime") }
                entry.attributes.append(EntryAttribute("pwdChangedTime", [ExpiryNoticeTime.text(time)]))
            }
        }

        func notifier(thresholds: [Int] = [15, 7, 1], body: String = ExpiryNoticeSettings.defaultBody) throws
            -> ExpiryNotifier
        {
            let settings = ExpiryNoticeSettings(
                thresholdDays: thresholds, fromAddress: "pamelanonreponse@dgfip.finances.gouv.fr",
                subject: try ExpiryNoticeTemplate(ExpiryNoticeSettings.defaultSubject),
                body: try ExpiryNoticeTemplate(body), timeZone: TimeZone(identifier: "Europe/Paris")!,
                defaultPolicyDN: try DistinguishedName("cn=default,dc=example,dc=com"))
            return ExpiryNotifier(
                finder: ExpiryNoticeFinder(
                    store: store, thresholdDays: settings.thresholdDays, defaultPolicyDN: settings.defaultPolicyDN),
                settings: settings, ledger: ledger, logger: Logger(label: "test"))
        }
    }

    /// Collects what a run sends.
    final class Outbox: @unchecked Sendable {
        private let lock = NSLock()
        private var mails: [ExpiryNotifier.Mail] = []
        var failing = false

        func send(_ mail: ExpiryNotifier.Mail) throws {
            try lock.withLock {
                if failing { throw CancellationError() }
                mails.append(mail)
            }
        }

        var sent: [ExpiryNotifier.Mail] { lock.withLock { mails } }
    }

    @Test("each person gets the notice of the smallest threshold reached; expired, far and policy-less are left")
    func thresholds() async throws {
        let fixture = try Fixture()
        try fixture.person("in20", expiresIn: 20)
        try fixture.person("in14", expiresIn: 14.5)
        try fixture.person("in7", expiresIn: 6.9)
        try fixture.person("in1h", expiresIn: 0.04)
        try fixture.person("expired", expiresIn: -0.5)
        try fixture.person(
            "short5", expiresIn: 5, policyMaxAgeDays: 30,
            extra: [("pwdPolicySubentry", ["cn=short,dc=example,dc=com"])])
        // Under the 30-day policy this one would be in the window; under its own (no pwdMaxAge) it never expires.
        try fixture.person(
            "never", expiresIn: 5, policyMaxAgeDays: 30,
            extra: [("pwdPolicySubentry", ["cn=never,dc=example,dc=com"])])
        try fixture.add(
            "uid=nochange,ou=people,dc=example,dc=com",
            [
                ("objectClass", ["inetOrgPerson"]), ("uid", ["nochange"]), ("cn", ["x"]), ("sn", ["x"]),
                ("mail", ["nochange@example.fr"]),
            ])
        let outbox = Outbox()
        let report = try await fixture.notifier().run(now: Self.now) { try outbox.send($0) }
        let byUID = Dictionary(uniqueKeysWithValues: outbox.sent.map { ($0.to, $0.notice) })
        #expect(Set(byUID.keys) == ["in14@example.fr", "in7@example.fr", "in1h@example.fr", "short5@example.fr"])
        #expect(byUID["in14@example.fr"]?.thresholdDays == 15)
        #expect(byUID["in14@example.fr"]?.daysLeft == 14)
        #expect(byUID["in7@example.fr"]?.thresholdDays == 7)
        #expect(byUID["in7@example.fr"]?.daysLeft == 6)
        #expect(byUID["in1h@example.fr"]?.thresholdDays == 1)
        #expect(byUID["in1h@example.fr"]?.daysLeft == 1)
        #expect(byUID["short5@example.fr"]?.thresholdDays == 7)
        #expect(report.found == 4 && report.sent == 4 && report.alreadySent == 0 && report.failed == 0)
        // The index gave only the window's entries, not every person.
        #expect(report.candidatesExamined <= 6)
    }

    @Test("a rerun sends nothing twice; the next threshold sends again; a password change starts a new cycle")
    func ledger() async throws {
        let fixture = try Fixture()
        try fixture.person("alice", expiresIn: 10)
        let notifier = try fixture.notifier()
        let outbox = Outbox()
        var report = try await notifier.run(now: Self.now) { try outbox.send($0) }
        #expect(report.sent == 1)
        report = try await notifier.run(now: Self.now + Self.day) { try outbox.send($0) }
        #expect(report.sent == 0 && report.alreadySent == 1 && report.found == 1)
        // Four days later: 6 days left, the 7-day notice.
        report = try await notifier.run(now: Self.now + 4 * Self.day) { try outbox.send($0) }
        #expect(report.sent == 1)
        #expect(outbox.sent.map(\.notice.thresholdDays) == [15, 7])
        // The password is changed: nothing due now; 80 days on, the new cycle's 15-day notice goes out.
        try fixture.setChangedTime("alice", Self.now + 4 * Self.day)
        report = try await notifier.run(now: Self.now + 5 * Self.day) { try outbox.send($0) }
        #expect(report.found == 0 && report.sent == 0)
        report = try await notifier.run(now: Self.now + 80 * Self.day) { try outbox.send($0) }
        #expect(report.sent == 1)
        #expect(outbox.sent.map(\.notice.thresholdDays) == [15, 7, 15])
        #expect(try fixture.ledger.records().count == 3)
    }

    @Test("a failed send is counted and not recorded, so the next run tries again")
    func failure() async throws {
        let fixture = try Fixture()
        try fixture.person("bob", expiresIn: 3)
        let notifier = try fixture.notifier()
        let outbox = Outbox()
        outbox.failing = true
        var report = try await notifier.run(now: Self.now) { try outbox.send($0) }
        #expect(report.failed == 1 && report.sent == 0)
        #expect(try fixture.ledger.records().isEmpty)
        outbox.failing = false
        report = try await notifier.run(now: Self.now) { try outbox.send($0) }
        #expect(report.sent == 1 && report.failed == 0)
    }

    @Test("people without mail are counted, not sent; a dry run records nothing")
    func withoutMailAndDryRun() async throws {
        let fixture = try Fixture()
        try fixture.person("nomail", expiresIn: 3, mail: false)
        try fixture.person("carol", expiresIn: 3)
        let notifier = try fixture.notifier()
        let outbox = Outbox()
        var report = try await notifier.run(now: Self.now, dryRun: true) { try outbox.send($0) }
        #expect(report.skippedWithoutMail == 1 && report.sent == 1)
        #expect(try fixture.ledger.records().isEmpty)
        report = try await notifier.run(now: Self.now) { try outbox.send($0) }
        #expect(report.sent == 1 && report.skippedWithoutMail == 1)
    }

    @Test("the French template: names, identifier, days in words, date and time in Paris")
    func rendering() async throws {
        let fixture = try Fixture()
        // Expires 2026-12-08T08:00:00Z = 09:00 in Paris, a Tuesday.
        try fixture.person("elodie", expiresIn: 7)
        let outbox = Outbox()
        _ = try await fixture.notifier().run(now: Self.now) { try outbox.send($0) }
        let mail = try #require(outbox.sent.first)
        #expect(mail.subject == "Votre mot de passe du Portail de la Gestion Publique expire dans 7 jours")
        #expect(mail.body.hasPrefix("Bonjour Élodie Martin,\n"))
        #expect(mail.body.contains("identifiant elodie arrive à prescription"))
        #expect(mail.body.contains("le mardi 8 décembre 2026 à 9 h 00, dans 7 jours"))
    }

    @Test("templates: unknown placeholders are refused, braces escape")
    func templates() throws {
        #expect(throws: ExpiryNoticeError.self) { try ExpiryNoticeTemplate("Bonjour {prénom}") }
        #expect(throws: ExpiryNoticeError.self) { try ExpiryNoticeTemplate("Bonjour {prenom") }
        let template = try ExpiryNoticeTemplate("{{x}} {joursRestants} {delai}")
        #expect(template.render(["joursRestants": "1", "delai": FrenchDate.days(1)]) == "{x} 1 1 jour")
        #expect(
            FrenchDate.date(Date(timeIntervalSince1970: 1_796_112_000), timeZone: TimeZone(identifier: "UTC")!)
                == "mardi 1er décembre 2026")
    }

    @Test("--now accepts Generalized Time and ISO dates")
    func times() {
        #expect(ExpiryNoticeTime.parse("20261201080000Z") == Self.now)
        #expect(ExpiryNoticeTime.parse("2026-12-01T08:00:00Z") == Self.now)
        #expect(ExpiryNoticeTime.parse("2026-12-01T09:00:00+01:00") == Self.now)
        #expect(ExpiryNoticeTime.parse("2026-12-01") == Self.now - 8 * 3_600_000_000)
        #expect(ExpiryNoticeTime.parse("tomorrow") == nil)
    }
}

extension ExpiryNoticeTests {
    @Test("the window is read from the ordering index: people outside it are never read")
    func usesTheIndex() async throws {
        let fixture = try Fixture()
        // 16 to 59 days from expiry under the 90-day policy: outside its 15-day window, and pwdChangedTime
        // 31 to 74 days ago, outside the 30-day policy's window (30 to 15 days ago) as well.
        for number in 16..<60 { try fixture.person("far\(number)", expiresIn: Double(number)) }
        try fixture.person("due", expiresIn: 3)
        let result = try fixture.notifier().finder.find(now: Self.now)
        #expect(result.notices.map(\.dn.description) == ["uid=due,ou=people,dc=example,dc=com"])
        #expect(result.unindexed.isEmpty)
        #expect(result.candidatesExamined == 1)
    }
}

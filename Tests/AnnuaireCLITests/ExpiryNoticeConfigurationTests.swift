import Foundation
import MailDelivery
import Testing

@testable import AnnuaireCLI

/// The `smtp-…`, `mail-…` and `expiry-notice-…` keys and serve's daily schedule (docs/expiry-notices.md).
@Suite("Expiry notice configuration")
struct ExpiryNoticeConfigurationTests {
    @Test("defaults: no relay, STARTTLS on 587, the portal's no-reply address, 15/7/1 days, Paris")
    func defaults() throws {
        let notices = try TestSupport.load().configuration.expiryNotices
        #expect(notices.smtpHost == nil)
        #expect(notices.smtpPort == 587 && notices.smtpSecurity == .startTLS)
        #expect(notices.mailFrom == "pamelanonreponse@dgfip.finances.gouv.fr")
        #expect(notices.thresholdDays == [15, 7, 1])
        #expect(notices.timeZone == "Europe/Paris" && notices.dailyAt == nil)
    }

    @Test("every key from the file, the environment and flags")
    func sources() throws {
        let directory = try TestSupport.temporaryDirectory()
        let password = try TestSupport.write("secret\n", name: "smtp-password", in: directory)
        let body = try TestSupport.write("Bonjour {prenom}, {delai}.\n", name: "body.txt", in: directory)
        let loaded = try TestSupport.load(
            file: """
                smtp-host = "relay.example.org"
                smtp-port = 465
                smtp-security = "tls"
                expiry-notice-thresholds = ["30", "10"]
                expiry-notice-body-file = "\(body)"
                """,
            environment: ["ANNUAIRE_SMTP_USERNAME": "annuaire", "ANNUAIRE_SMTP_PASSWORD_FILE": password],
            flags: ["--expiry-notice-daily-at", "6:05", "--mail-from-name", "Portail de la Gestion Publique"])
        let notices = loaded.configuration.expiryNotices
        #expect(
            notices.smtpHost == "relay.example.org" && notices.smtpPort == 465 && notices.smtpSecurity == .implicitTLS)
        #expect(notices.thresholdDays == [30, 10])
        #expect(notices.smtpUsername == "annuaire" && notices.smtpPasswordFile == password)
        #expect(notices.bodyFile == body)
        #expect(notices.dailyAt?.description == "06:05")
        #expect(notices.mailFromName == "Portail de la Gestion Publique")
        // What config check prints loads back to the same configuration.
        let rendered = ConfigurationRenderer.render(loaded)
        let again = try TestSupport.load(file: rendered)
        #expect(again.configuration.expiryNotices == notices)
    }

    @Test(
        "bad values name their key",
        arguments: [
            (["--smtp-security", "ssl"], "smtp-security", "is not a mode"),
            (["--smtp-port", "0"], "smtp-port", "out of range"),
            (["--mail-from", "no-reply"], "mail-from", "is not a mail address"),
            (["--expiry-notice-thresholds", "15,0"], "expiry-notice-thresholds", "'0' is not a number of days"),
            (["--expiry-notice-time-zone", "Mars/Olympus"], "expiry-notice-time-zone", "not a known time zone"),
            (["--expiry-notice-daily-at", "25:00"], "expiry-notice-daily-at", "not a time of day"),
            (["--smtp-username", "annuaire"], "smtp-password-file", "give both"),
        ])
    func badValues(flags: [String], key: String, fragment: String) {
        let issues = TestSupport.issues(flags: flags)
        #expect(issues.contains { $0.key == key && $0.message.contains(fragment) }, "\(issues)")
    }

    @Test("a template with an unknown placeholder is refused by config check")
    func badTemplate() throws {
        let file = try TestSupport.write("Bonjour {firstName}\n", name: "subject.txt")
        let issue = TestSupport.singleIssue(flags: ["--expiry-notice-subject-file", file])
        #expect(issue?.key == "expiry-notice-subject-file")
        #expect(issue?.message.contains("unknown placeholder {firstName}") == true)
    }

    @Test("the daily run: the next HH:MM in the zone, across the change to winter time")
    func nextOccurrence() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let time = try #require(ExpiryNoticeConfiguration.TimeOfDay(parsing: "06:30"))
        // 2026-10-24T12:00:00Z, a Saturday; the clocks go back on Sunday the 25th.
        let saturday = Date(timeIntervalSince1970: 1_792_843_200)
        let next = NotifyExpiryCommand.nextOccurrence(of: time, after: saturday, in: paris)
        #expect(next == Date(timeIntervalSince1970: 1_792_906_200))  // Sunday 06:30 CET = 05:30Z
        let after = NotifyExpiryCommand.nextOccurrence(of: time, after: next, in: paris)
        #expect(after.timeIntervalSince(next) == 86_400)
        #expect(ExpiryNoticeConfiguration.TimeOfDay(parsing: "6:5") != nil)
        #expect(ExpiryNoticeConfiguration.TimeOfDay(parsing: "0630") == nil)
    }
}

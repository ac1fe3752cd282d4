import Foundation
import Logging

/// One run of the expiry notices: find what is due, leave out what the ledger says was sent, render each notice
/// and hand it to `send`, recording each success at once.
package struct ExpiryNotifier: Sendable {
    /// A rendered notice, ready for the mail transport.
    package struct Mail: Equatable, Sendable {
        package var to: String
        package var subject: String
        package var body: String
        package var notice: DueNotice
    }

    package let finder: ExpiryNoticeFinder
    package let settings: ExpiryNoticeSettings
    package let ledger: ExpiryNoticeLedger
    package let logger: Logger

    /// Makes a notifier.
    package init(finder: ExpiryNoticeFinder, settings: ExpiryNoticeSettings, ledger: ExpiryNoticeLedger, logger: Logger)
    {
        self.finder = finder
        self.settings = settings
        self.ledger = ledger
        self.logger = logger
    }

    /// Runs at `now` (microseconds since 1970). `send` delivers one mail or throws; in a dry run (`dryRun`)
    /// nothing is recorded, `send` still receives each mail (to list it). `onMail` is told each outcome.
    package func run(
        now: Int64, dryRun: Bool = false,
        send: (Mail) async throws -> Void
    ) async throws(ExpiryNoticeError) -> ExpiryNoticeReport {
        var report = ExpiryNoticeReport()
        let result = try finder.find(now: now)
        report.candidatesExamined = result.candidatesExamined
        if !result.unindexed.isEmpty {
            logger.warning(
                "expiry notices: every entry was read (\(result.unindexed.joined(separator: "; "))); keep the ordering index on pwdChangedTime"
            )
        }
        for notice in result.notices {
            report.found += 1
            if try ledger.contains(notice.ledgerKey) {
                report.alreadySent += 1
                continue
            }
            guard let address = notice.mail, !address.isEmpty else {
                report.skippedWithoutMail += 1
                logger.info("expiry notice: \(notice.dn) has no mail; not warned")
                continue
            }
            let mail = render(notice, to: address)
            do {
                try await send(mail)
            } catch {
                report.failed += 1
                logger.error("expiry notice to \(address) (\(notice.dn)) failed: \(error)")
                continue
            }
            report.sent += 1
            if !dryRun {
                try ledger.record(notice.ledgerKey, time: now, address: address)
                logger.info("expiry notice sent to \(address) (\(notice.dn), \(notice.thresholdDays) days)")
            }
        }
        if !dryRun { try ledger.prune(sentBefore: now - ExpiryNoticeLedger.retentionMicroseconds) }
        return report
    }

    /// The subject and body of `notice` for `address`.
    package func render(_ notice: DueNotice, to address: String) -> Mail {
        let expiry = Date(timeIntervalSince1970: Double(notice.expiryTime) / 1_000_000)
        let values: [String: String] = [
            "prenom": notice.givenName,
            "nom": notice.surname,
            "nomComplet": notice.commonName,
            "identifiant": notice.identifier,
            "mail": address,
            "joursRestants": "\(notice.daysLeft)",
            "delai": FrenchDate.days(notice.daysLeft),
            "dateExpiration": FrenchDate.date(expiry, timeZone: settings.timeZone),
            "heureExpiration": FrenchDate.time(expiry, timeZone: settings.timeZone),
            "seuil": "\(notice.thresholdDays)",
        ]
        // A subject is one line: line ends from the template or the data would start new headers.
        let subject = settings.subject.render(values)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        return Mail(to: address, subject: subject, body: settings.body.render(values), notice: notice)
    }
}

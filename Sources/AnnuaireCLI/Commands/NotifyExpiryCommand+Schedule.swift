import Directory
import Foundation
import Logging
import Storage

extension NotifyExpiryCommand {
    /// serve's daily run (`expiry-notice-daily-at`): a task that sleeps until the next HH:MM in the notices' time
    /// zone, runs the notices on the server's store, and starts again; `nil` when not configured. Its work (LMDB
    /// reads, SMTP on the transport's own event loop) runs on this task, never on the server's event loops.
    static func schedule(store: DirectoryStore, configuration: Configuration) -> Task<Void, Never>? {
        guard let dailyAt = configuration.expiryNotices.dailyAt else { return nil }
        let logger = Logger(label: "annuaire.expiry-notices")
        let zone = configuration.expiryNotices.resolvedTimeZone
        logger.notice("expiry notices: sent daily at \(dailyAt) (\(zone.identifier))")
        return Task.detached {
            while !Task.isCancelled {
                let now = Date()
                let next = nextOccurrence(of: dailyAt, after: now, in: zone)
                do {
                    try await Task.sleep(for: .seconds(max(1, next.timeIntervalSince(now))))
                } catch {
                    return
                }
                guard configuration.expiryNotices.smtpHost != nil else {
                    logger.error("expiry notices: smtp-host is not set; nothing sent")
                    continue
                }
                let moment = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
                do {
                    let report = try await send(
                        store: store, configuration: configuration, now: moment, dryRun: false, logger: logger)
                    logger.notice("expiry notices: \(report)")
                } catch {
                    logger.error("expiry notices: \(error)")
                }
            }
        }
    }

    /// The first `time` of day strictly after `date` in `zone` (a day without that local time, at a DST change,
    /// gives the next one that has it).
    static func nextOccurrence(
        of time: ExpiryNoticeConfiguration.TimeOfDay, after date: Date, in zone: TimeZone
    ) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let wanted = DateComponents(hour: time.hour, minute: time.minute, second: 0)
        return calendar.nextDate(after: date, matching: wanted, matchingPolicy: .nextTime)
            ?? date.addingTimeInterval(86_400)
    }
}

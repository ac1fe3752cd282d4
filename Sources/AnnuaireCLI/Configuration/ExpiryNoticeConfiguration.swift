import Foundation
import MailDelivery

/// The settings of `annuaire notify-expiry` and of serve's daily run (docs/expiry-notices.md).
struct ExpiryNoticeConfiguration: Hashable, Sendable {
    static let defaultSMTPPort = 587
    static let defaultSMTPTimeout = 30
    /// The portal's no-reply address (portal guide, "Une adresse de messagerie").
    static let defaultFrom = "pamelanonreponse@dgfip.finances.gouv.fr"
    static let defaultThresholds = [15, 7, 1]
    static let defaultTimeZone = "Europe/Paris"

    /// A time of day, `HH:MM`.
    struct TimeOfDay: Hashable, Sendable, CustomStringConvertible {
        var hour: Int
        var minute: Int

        /// Parses `HH:MM` (24-hour).
        init?(parsing text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
                let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
            else { return nil }
            self.hour = hour
            self.minute = minute
        }

        var description: String {
            (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
        }
    }

    var smtpHost: String?
    var smtpPort = defaultSMTPPort
    var smtpSecurity = SMTPSettings.Security.startTLS
    var smtpCAFile: String?
    var smtpUsername: String?
    var smtpPasswordFile: String?
    var smtpHeloName = "localhost"
    var smtpTimeout = defaultSMTPTimeout
    var mailFrom = defaultFrom
    var mailFromName: String?
    var thresholdDays = defaultThresholds
    var subjectFile: String?
    var bodyFile: String?
    var timeZone = defaultTimeZone
    var dailyAt: TimeOfDay?

    /// The zone `timeZone` names (checked by the validator), UTC should it ever not resolve.
    var resolvedTimeZone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }
}

import Directory
import Foundation
import MailDelivery

extension ConfigurationValidator {
    /// The `smtp-…`, `mail-…` and `expiry-notice-…` keys. Only the values are checked here; whether a relay is
    /// set is `notify-expiry`'s question (serve runs without one).
    mutating func expiryNoticeConfiguration() -> ExpiryNoticeConfiguration {
        var result = ExpiryNoticeConfiguration()
        result.smtpHost = optionalText(.smtpHost)
        if let host = result.smtpHost, host.contains(where: { $0 == " " || $0 == "/" || !$0.isASCII }) {
            fail(.smtpHost, "'\(host)' is not a host name or address")
        }
        result.smtpPort = integer(.smtpPort, default: ExpiryNoticeConfiguration.defaultSMTPPort, range: 1...65_535)
        if let text = requiredText(.smtpSecurity) {
            if let mode = SMTPSettings.Security(rawValue: text.lowercased()) {
                result.smtpSecurity = mode
            } else {
                let names = SMTPSettings.Security.allCases.map(\.rawValue).joined(separator: ", ")
                fail(.smtpSecurity, "'\(text)' is not a mode (expected one of \(names))")
            }
        }
        result.smtpCAFile = optionalText(.smtpCAFile)
        if let file = result.smtpCAFile,
            let problem = FileProbe.problemWithPEMFile(file, labelSuffix: "CERTIFICATE", what: "certificate")
        {
            fail(.smtpCAFile, problem)
        }
        result.smtpUsername = optionalText(.smtpUsername)
        result.smtpPasswordFile = optionalText(.smtpPasswordFile)
        if let file = result.smtpPasswordFile, let problem = FileProbe.problemWithReadableFile(file, nonEmpty: true) {
            fail(.smtpPasswordFile, problem)
        }
        if (result.smtpUsername == nil) != (result.smtpPasswordFile == nil) {
            fail(
                result.smtpUsername == nil ? .smtpUsername : .smtpPasswordFile,
                "give both smtp-username and smtp-password-file, or neither")
        }
        if result.smtpUsername != nil, result.smtpSecurity == .none {
            fail(.smtpUsername, "credentials are sent only over TLS: smtp-security none cannot authenticate")
        }
        if let name = requiredText(.smtpHeloName) {
            if name.contains(where: { $0 == " " || !$0.isASCII || $0.isNewline }) {
                fail(.smtpHeloName, "'\(name)' is not a host name")
            } else {
                result.smtpHeloName = name
            }
        }
        result.smtpTimeout = integer(
            .smtpTimeout, default: ExpiryNoticeConfiguration.defaultSMTPTimeout, range: 1...600)
        if let from = requiredText(.mailFrom) {
            if MailMessage.isUsableAddress(from) {
                result.mailFrom = from
            } else {
                fail(.mailFrom, "'\(from)' is not a mail address (local@domain)")
            }
        }
        if let name = optionalText(.mailFromName) {
            if name.contains(where: \.isNewline) {
                fail(.mailFromName, "must be one line")
            } else {
                result.mailFromName = name
            }
        }
        if let items = list(.expiryNoticeThresholds) {
            var days: [Int] = []
            for item in items {
                guard let value = Int(item), (1...365).contains(value) else {
                    fail(.expiryNoticeThresholds, "'\(item)' is not a number of days from 1 to 365")
                    continue
                }
                days.append(value)
            }
            if items.isEmpty { fail(.expiryNoticeThresholds, "at least one threshold is needed") }
            result.thresholdDays = Array(Set(days)).sorted(by: >)
        }
        for (key, file) in [
            (ConfigurationKey.expiryNoticeSubjectFile, optionalText(.expiryNoticeSubjectFile)),
            (.expiryNoticeBodyFile, optionalText(.expiryNoticeBodyFile)),
        ] {
            guard let file else { continue }
            if let problem = FileProbe.problemWithReadableFile(file, nonEmpty: true) {
                fail(key, problem)
                continue
            }
            guard let data = FileManager.default.contents(atPath: file),
                let text = String(validating: data, as: UTF8.self)
            else {
                fail(key, "\(file) is not UTF-8 text")
                continue
            }
            do {
                _ = try ExpiryNoticeTemplate(text)
            } catch {
                fail(key, "\(file): \(error)")
                continue
            }
            if key == .expiryNoticeSubjectFile { result.subjectFile = file } else { result.bodyFile = file }
        }
        if let zone = requiredText(.expiryNoticeTimeZone) {
            if TimeZone(identifier: zone) != nil {
                result.timeZone = zone
            } else {
                fail(.expiryNoticeTimeZone, "'\(zone)' is not a known time zone (e.g. Europe/Paris, UTC)")
            }
        }
        if let text = optionalText(.expiryNoticeDailyAt) {
            if let time = ExpiryNoticeConfiguration.TimeOfDay(parsing: text) {
                result.dailyAt = time
            } else {
                fail(.expiryNoticeDailyAt, "'\(text)' is not a time of day HH:MM")
            }
        }
        return result
    }
}

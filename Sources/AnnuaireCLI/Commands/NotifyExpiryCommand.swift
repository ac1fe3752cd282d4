import ArgumentParser
import Directory
import Foundation
import LDAPProtocol
import Logging
import MailDelivery
import NIOCore
import NIOPosix
import Schema
import Storage

/// `annuaire notify-expiry [--config FILE] [--dry-run] [--now TIME]`: sends the password-expiry warning mails that
/// are due (D5; docs/expiry-notices.md).
struct NotifyExpiryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-expiry",
        abstract: "Send the password-expiry warning e-mails that are due.",
        discussion: """
            Finds the people whose password expires within one of expiry-notice-thresholds days (from the \
            pwdChangedTime ordering index), and sends each one mail per threshold through the smtp-host relay, \
            from mail-from. What was sent is recorded in DATA-DIR/expiry-notices/, so a rerun sends nothing \
            twice; a password change starts a new cycle; a failed mail is tried again next run. Reads the \
            directory read-only: it runs beside annuaire serve (from cron). Prints the counts on its last line. \
            Exit status: 0 done, 64 bad --now, 66 no database, 75 a mail could not be sent (or another run \
            holds the record), 78 invalid configuration.
            """
    )

    /// `EX_TEMPFAIL`: some mails failed; the next run tries them again.
    static let failureStatus: Int32 = 75

    @OptionGroup var options: ConfigurationOptions

    @Flag(name: .customLong("dry-run"), help: "List what would be sent; send and record nothing.")
    var dryRun = false

    @Option(
        name: .customLong("now"),
        help: ArgumentHelp(
            "Compute as at TIME (Generalized Time 20261201080000Z, ISO 2026-12-01T08:00:00Z or 2026-12-01).",
            valueName: "time"))
    var now: String?

    func run() async throws {
        let loaded = try options.loadOrExit()
        let configuration = loaded.configuration
        ServeCommand.bootstrapLogging(level: configuration.logLevel)
        let logger = Logger(label: "annuaire.notify-expiry")
        var moment = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        if let now {
            guard let parsed = ExpiryNoticeTime.parse(now) else {
                StandardError.write("annuaire notify-expiry: --now '\(now)' is not a Generalized Time or ISO date")
                throw ExitCode(64)
            }
            moment = parsed
        }
        guard dryRun || configuration.expiryNotices.smtpHost != nil else {
            StandardError.write("annuaire notify-expiry: smtp-host is not set: no relay to send the mails through")
            throw ExitCode(78)
        }

        let environment = try VerifyCommand.openReadOnly(
            configuration.dataDirectory, configuration, command: "notify-expiry")
        let store: DirectoryStore
        do {
            store = try DirectoryStore(
                environment: environment, context: SchemaContext(schema: loaded.schema),
                namingContexts: [configuration.suffix], indexes: configuration.indexConfiguration)
        } catch {
            StandardError.write("annuaire notify-expiry: cannot read the database: \(error)")
            throw ExitCode(VerifyCommand.noDatabaseStatus)
        }
        let report: ExpiryNoticeReport
        do {
            report = try await Self.send(
                store: store, configuration: configuration, now: moment, dryRun: dryRun, logger: logger
            ) { mail in
                print(
                    "would send: to=\(mail.to) dn=\(mail.notice.dn) threshold=\(mail.notice.thresholdDays) "
                        + "days-left=\(mail.notice.daysLeft) subject=\(mail.subject)")
            }
        } catch {
            StandardError.write("annuaire notify-expiry: \(error)")
            throw ExitCode(Self.failureStatus)
        }
        print("annuaire notify-expiry: \(dryRun ? "dry run: " : "")\(report)")
        if report.failed > 0 { throw ExitCode(Self.failureStatus) }
    }

    /// One run against `store`: the notices due at `now`, sent through the configured relay (one connection,
    /// opened at the first mail), or handed to `list` in a dry run. Shared with serve's daily run.
    static func send(
        store: DirectoryStore, configuration: Configuration, now: Int64, dryRun: Bool, logger: Logger,
        list: @escaping @Sendable (ExpiryNotifier.Mail) -> Void = { _ in }
    ) async throws -> ExpiryNoticeReport {
        let settings = try noticeSettings(configuration)
        let ledger = try ExpiryNoticeLedger(dataDirectory: configuration.dataDirectory)
        let notifier = ExpiryNotifier(
            finder: ExpiryNoticeFinder(
                store: store, thresholdDays: settings.thresholdDays, defaultPolicyDN: settings.defaultPolicyDN),
            settings: settings, ledger: ledger, logger: logger)
        if dryRun {
            return try await notifier.run(now: now, dryRun: true) { mail in list(mail) }
        }
        let transport = try MailTransport(configuration.expiryNotices, settings: settings)
        let report: ExpiryNoticeReport
        do {
            report = try await notifier.run(now: now) { mail in try await transport.send(mail) }
        } catch {
            await transport.close()
            throw error
        }
        await transport.close()
        return report
    }

    /// The notifier's settings from the configuration: templates read from their files or built in.
    static func noticeSettings(_ configuration: Configuration) throws -> ExpiryNoticeSettings {
        let notices = configuration.expiryNotices
        func template(_ file: String?, _ builtIn: String) throws -> ExpiryNoticeTemplate {
            guard let file else { return try ExpiryNoticeTemplate(builtIn) }
            guard let data = FileManager.default.contents(atPath: file),
                let text = String(validating: data, as: UTF8.self)
            else { throw ExpiryNoticeError.template("\(file) cannot be read as UTF-8 text") }
            do {
                return try ExpiryNoticeTemplate(text)
            } catch {
                throw ExpiryNoticeError.template("\(file): \(error)")
            }
        }
        return ExpiryNoticeSettings(
            thresholdDays: notices.thresholdDays,
            fromAddress: notices.mailFrom,
            fromName: notices.mailFromName,
            subject: try template(notices.subjectFile, ExpiryNoticeSettings.defaultSubject),
            body: try template(notices.bodyFile, ExpiryNoticeSettings.defaultBody),
            timeZone: notices.resolvedTimeZone,
            defaultPolicyDN: configuration.passwordPolicyDefaultDN)
    }
}

/// The relay for one run: connects at the first mail, reuses the connection, reconnects once after a lost one;
/// when the relay cannot be reached, the remaining mails fail at once instead of each waiting for a timeout.
final class MailTransport: @unchecked Sendable {
    private let smtp: SMTPSettings
    private let settings: ExpiryNoticeSettings
    /// Its own thread: never a server's event loop.
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var connection: SMTPConnection?
    private var unreachable: SMTPError?

    init(_ configuration: ExpiryNoticeConfiguration, settings: ExpiryNoticeSettings) throws {
        guard let host = configuration.smtpHost else {
            throw SMTPError.connectionFailed("smtp-host is not set")
        }
        var credentials: (username: String, password: String)?
        if let username = configuration.smtpUsername, let file = configuration.smtpPasswordFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SMTPError.authenticationUnavailable("\(file) cannot be read")
            }
            let password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            credentials = (username, password)
        }
        smtp = SMTPSettings(
            host: host, port: configuration.smtpPort, security: configuration.smtpSecurity,
            caFile: configuration.smtpCAFile, credentials: credentials, heloName: configuration.smtpHeloName,
            timeoutSeconds: configuration.smtpTimeout)
        self.settings = settings
    }

    func send(_ mail: ExpiryNotifier.Mail) async throws {
        if let unreachable { throw unreachable }
        let message = MailMessage(
            from: settings.fromAddress, fromName: settings.fromName, to: mail.to, subject: mail.subject,
            // The moment of sending, not --now: a mail is dated when it leaves.
            body: mail.body, date: Date())
        for attempt in 0..<2 {
            let current: SMTPConnection
            if let connection {
                current = connection
            } else {
                do {
                    current = try await SMTPConnection.open(smtp, group: group)
                } catch {
                    unreachable = error
                    throw error
                }
                connection = current
            }
            do {
                try await current.send(message)
                return
            } catch {
                guard error.isConnectionLost, attempt == 0 else { throw error }
                // The relay dropped the session (421, idle timeout): one new connection, then give up.
                await current.close()
                connection = nil
            }
        }
    }

    /// QUIT, then the transport's thread stops.
    func close() async {
        await connection?.close()
        connection = nil
        try? await group.shutdownGracefully()
    }
}

import AccessControl
import ArgumentParser
import Directory
import Foundation
import LDAPProtocol
import Logging
import NIOCore
import Schema
import Server
import Storage

/// `annuaire serve [--config FILE]`: the server, in the foreground, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the LDAP server in the foreground.",
        discussion: """
            Serves the configured listeners (ldap:// with StartTLS, ldaps://) from the database in the data \
            directory, creating it empty when new. Without tls-certificate and tls-key, a self-signed pair is \
            made in DATA-DIR/tls/ on first start. SIGTERM or SIGINT stops accepting, lets operations in progress \
            finish for shutdown-timeout seconds, then closes the database cleanly. Exit status: 0 after a clean \
            stop, 69 a listener could not start, 74 the database cannot be opened, 75 the data directory is in \
            use by another process, 78 invalid configuration.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let loaded = try options.loadOrExit()
        let configuration = loaded.configuration
        Self.bootstrapLogging(level: configuration.logLevel)
        let logger = Logger(label: "annuaire")

        let rootPassword = try Self.readRootPassword(configuration)
        let context = SchemaContext(schema: loaded.schema)
        let store = try Self.openStore(configuration, context: context)
        if store.isReindexPending {
            logger.warning(
                """
                the index configuration differs from the one the database was built with; the recorded one stays \
                in use until a reindex (annuaire import of an export rebuilds it)
                """)
        }

        let policy = try Self.loadAccessPolicy(configuration, context: context)
        let audit = try Self.openAuditLog(configuration)
        var directoryConfiguration = DirectoryConfiguration(
            namingContexts: [configuration.suffix],
            rootDN: configuration.rootDN,
            rootPassword: rootPassword,
            sizeLimit: configuration.sizeLimit,
            timeLimit: configuration.timeLimit,
            refusesCleartextPasswordBinds: configuration.requireTLSForPasswords,
            vendorVersion: AnnuaireVersion.current
        )
        directoryConfiguration.accessPolicy = policy
        directoryConfiguration.auditLog = audit
        directoryConfiguration.passwordStorage = configuration.passwordStorage
        directoryConfiguration.passwordPolicy.defaultPolicyDN = configuration.passwordPolicyDefaultDN
        directoryConfiguration.passwordPolicy.trustedClients = configuration.passwordPolicyTrustedClients
        directoryConfiguration.passwordPolicy.quality.minimumCharacterClasses = configuration.passwordQualityMinClasses
        directoryConfiguration.passwordPolicy.mailChangeQuietPeriod = Int64(configuration.passwordMailChangeQuietPeriod)
        directoryConfiguration.domainRules = configuration.domainRules
        let sms: SMSGatewayService? =
            if configuration.passwordReset.isEnabled {
                try SMSGatewayService.start(configuration.passwordReset, logger: logger)
            } else {
                nil
            }
        directoryConfiguration.selfServiceReset = sms?.settings
        directoryConfiguration.bindIdentifierMapping = BindIdentifierMapping(
            lookups: configuration.bindIdentifier.map { lookup in
                switch lookup {
                case .uid: .attribute("uid")
                case .mailLocalPart: .mailLocalPart
                }
            },
            mailDomains: configuration.bindIdentifierMailDomains)
        let directory = DirectoryService(
            store: store, configuration: directoryConfiguration, logger: Logger(label: "annuaire.directory"))
        logger.notice(
            "access rules: \(policy.ruleCount) from \(configuration.accessRules); audit trail: \(configuration.auditLog)")

        let server = LDAPServer(
            configuration: Self.serverConfiguration(configuration),
            directory: directory,
            logger: Logger(label: "annuaire.server"))
        // A write to a closed pipe (stderr of a vanished parent, the audit file's reader) must fail the write,
        // not kill the server.
        signal(SIGPIPE, SIG_IGN)
        let rotation = SignalHandlerSource(signal: SIGHUP) {
            do {
                try audit?.reopen()
                logger.notice("SIGHUP: audit trail reopened")
            } catch {
                logger.error("SIGHUP: the audit trail cannot be reopened: \(error)")
            }
        }
        defer { rotation.cancel() }
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        do {
            _ = try await server.start()  // the server logs each bound listener
        } catch {
            StandardError.write("annuaire serve: \(error)")
            await server.shutdown()
            await sms?.stop(within: .seconds(configuration.shutdownTimeout))
            throw ExitCode(69)
        }
        logger.notice(
            "annuaire \(AnnuaireVersion.current) serving \(configuration.suffix) from \(configuration.dataDirectory)")

        let notices = NotifyExpiryCommand.schedule(store: store, configuration: configuration)

        let received = await signals.next()
        logger.notice("signal \(received) received: stopping (up to \(configuration.shutdownTimeout) s for operations)")
        // A run in progress finishes (its SMTP steps have timeouts) before the database closes under it.
        notices?.cancel()
        await notices?.value
        await server.shutdown()
        // Codes queued by the last requests still go out (bounded by shutdown-timeout).
        await sms?.stop(within: .seconds(configuration.shutdownTimeout))
        logger.notice("stopped; database closed")
    }

    /// The access-control rules of `access-rules`, with `${suffix}` expanded; exit 78 naming the file, line and
    /// problem.
    static func loadAccessPolicy(_ configuration: Configuration, context: SchemaContext) throws -> AccessPolicy {
        do {
            return try AccessPolicy(
                contentsOf: configuration.accessRules, variables: ["suffix": configuration.suffix.description],
                context: context)
        } catch {
            StandardError.write("annuaire serve: invalid configuration: access-rules: \(error)")
            throw ExitCode(78)
        }
    }

    /// The audit trail of `audit-log`: `nil` when `off`; exit 78 when the file cannot be opened.
    static func openAuditLog(_ configuration: Configuration) throws -> AuditLog? {
        let destination: AuditLog.Destination
        switch configuration.auditLog {
        case "off": return nil
        case "stderr": destination = .standardError
        case let path: destination = .file(path)
        }
        do {
            return try AuditLog(
                destination: destination,
                failureMode: configuration.auditFailure,
                synchronizes: configuration.auditFsync)
        } catch {
            StandardError.write("annuaire serve: invalid configuration: audit-log: \(error)")
            throw ExitCode(78)
        }
    }

    /// The server's side of the configuration.
    static func serverConfiguration(_ configuration: Configuration) -> ServerConfiguration {
        let listeners = configuration.listeners.map { url in
            ServerListener(scheme: url.scheme == .ldaps ? .ldaps : .ldap, host: url.host, port: url.port)
        }
        let identity: TLSSettings.Identity
        if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
            identity = .files(certificateChain: certificate, privateKey: key)
        } else {
            identity = .selfSigned(dataDirectory: configuration.dataDirectory)
        }
        let clients: TLSSettings.ClientCertificates
        switch (configuration.tlsVerifyClients, configuration.tlsCAFile) {
        case (.optional, let caFile?): clients = .optional(caFile: caFile)
        case (.required, let caFile?): clients = .required(caFile: caFile)
        default: clients = .none
        }
        let cores = System.coreCount
        return ServerConfiguration(
            listeners: listeners,
            tls: TLSSettings(identity: identity, clientCertificates: clients),
            limits: ServerLimits(
                maximumMessageSize: configuration.maxPDUSize,
                maximumFilterDepth: configuration.maxFilterDepth,
                maximumConnections: configuration.maxConnections,
                maximumConnectionsPerAddress: configuration.maxConnectionsPerAddress,
                idleTimeout: configuration.idleTimeout > 0 ? .seconds(Int64(configuration.idleTimeout)) : nil,
                maximumOutstandingOperations: configuration.maxOperationsPerConnection
            ),
            readThreadCount: configuration.readThreads > 0 ? configuration.readThreads : cores,
            eventLoopThreadCount: cores,
            shutdownGrace: .seconds(Int64(configuration.shutdownTimeout))
        )
    }

    /// The first line of `root-password-file` (a password or a `{SCHEME}` value); `nil` when not configured.
    static func readRootPassword(_ configuration: Configuration) throws -> String? {
        guard let path = configuration.rootPasswordFile else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            StandardError.write("annuaire serve: invalid configuration: root-password-file: cannot read '\(path)'")
            throw ExitCode(78)
        }
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).first
        guard let password = line.map(String.init), !password.isEmpty else {
            StandardError.write("annuaire serve: invalid configuration: root-password-file: '\(path)' has an empty first line")
            throw ExitCode(78)
        }
        return password
    }

    /// Opens (or creates) the store in the data directory.
    static func openStore(_ configuration: Configuration, context: SchemaContext) throws -> DirectoryStore {
        do {
            let environment = try LMDBEnvironment(
                directory: configuration.dataDirectory,
                configuration: LMDBConfiguration(mapSize: configuration.mapSize, maxMapSize: configuration.maxMapSize))
            return try DirectoryStore(
                environment: environment, context: context, namingContexts: [configuration.suffix],
                indexes: configuration.indexConfiguration)
        } catch let error as DataDirectoryError {
            StandardError.write("annuaire serve: \(error)")
            throw ExitCode(75)
        } catch {
            StandardError.write("annuaire serve: cannot open the database in '\(configuration.dataDirectory)': \(error)")
            throw ExitCode(74)
        }
    }

    /// Log lines on standard error, at the configured level and above.
    static func bootstrapLogging(level: LogLevel) {
        let threshold = Logger.Level(rawValue: level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = threshold
            return handler
        }
    }
}

/// The release this binary is, as the root DSE's vendorVersion shows it.
enum AnnuaireVersion {
    static let current = "0.1.0"
}

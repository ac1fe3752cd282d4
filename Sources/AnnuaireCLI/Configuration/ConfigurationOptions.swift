import ArgumentParser

/// The flags of every subcommand that reads the configuration: `--config FILE` and one flag per key.
///
/// Values stay text here: ``ConfigurationLoader`` checks them with the file's and the environment's values, so
/// that a bad flag is reported like any bad setting (key, source, what is wrong; exit status 78).
struct ConfigurationOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "The configuration file (default: $ANNUAIRE_CONFIG, else none: built-in defaults).", valueName: "file"))
    var configFile: String?

    @Option(name: .customLong("data-dir"), help: Self.help(.dataDirectory, valueName: "dir"))
    var dataDirectory: String?

    @Option(name: .customLong("suffix"), help: Self.help(.suffix, valueName: "dn"))
    var suffix: String?

    @Option(name: .customLong("root-dn"), help: Self.help(.rootDN, valueName: "dn"))
    var rootDN: String?

    @Option(name: .customLong("root-password-file"), help: Self.help(.rootPasswordFile, valueName: "file"))
    var rootPasswordFile: String?

    @Option(name: .customLong("listen"), help: Self.help(.listen, valueName: "url", repeatable: true))
    var listen: [String] = []

    @Option(name: .customLong("tls-certificate"), help: Self.help(.tlsCertificate, valueName: "file"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: Self.help(.tlsKey, valueName: "file"))
    var tlsKey: String?

    @Option(name: .customLong("tls-ca-file"), help: Self.help(.tlsCAFile, valueName: "file"))
    var tlsCAFile: String?

    @Option(name: .customLong("tls-verify-clients"), help: Self.help(.tlsVerifyClients, valueName: "mode"))
    var tlsVerifyClients: String?

    @Option(
        name: .customLong("require-tls-for-passwords"), help: Self.help(.requireTLSForPasswords, valueName: "bool"))
    var requireTLSForPasswords: String?

    @Option(name: .customLong("metrics"), help: Self.help(.metrics, valueName: "url"))
    var metrics: String?

    @Option(name: .customLong("log-level"), help: Self.help(.logLevel, valueName: "level"))
    var logLevel: String?

    @Option(name: .customLong("access-rules"), help: Self.help(.accessRules, valueName: "file"))
    var accessRules: String?

    @Option(name: .customLong("audit-log"), help: Self.help(.auditLog, valueName: "file"))
    var auditLog: String?

    @Option(name: .customLong("audit-failure"), help: Self.help(.auditFailure, valueName: "mode"))
    var auditFailure: String?

    @Option(name: .customLong("password-hash"), help: Self.help(.passwordHash, valueName: "scheme"))
    var passwordHash: String?

    @Option(name: .customLong("password-argon2-memory"), help: Self.help(.passwordArgon2Memory, valueName: "KiB"))
    var passwordArgon2Memory: String?

    @Option(
        name: .customLong("password-argon2-iterations"), help: Self.help(.passwordArgon2Iterations, valueName: "n"))
    var passwordArgon2Iterations: String?

    @Option(
        name: .customLong("password-argon2-parallelism"), help: Self.help(.passwordArgon2Parallelism, valueName: "n"))
    var passwordArgon2Parallelism: String?

    @Option(name: .customLong("password-pbkdf2-rounds"), help: Self.help(.passwordPBKDF2Rounds, valueName: "n"))
    var passwordPBKDF2Rounds: String?

    @Option(
        name: .customLong("password-rehash-on-bind"), help: Self.help(.passwordRehashOnBind, valueName: "bool"))
    var passwordRehashOnBind: String?

    @Option(
        name: .customLong("password-accept-prehashed"), help: Self.help(.passwordAcceptPrehashed, valueName: "bool"))
    var passwordAcceptPrehashed: String?

    @Option(name: .customLong("domain-rules"), help: Self.help(.domainRules, valueName: "bool"))
    var domainRules: String?

    @Option(
        name: .customLong("domain-rules-generic-mail-local-parts"),
        help: Self.help(.domainRulesGenericMailLocalParts, valueName: "words", repeatable: true))
    var domainRulesGenericMailLocalParts: [String] = []

    @Option(
        name: .customLong("domain-rules-generic-mail-patterns"),
        help: Self.help(.domainRulesGenericMailPatterns, valueName: "patterns", repeatable: true))
    var domainRulesGenericMailPatterns: [String] = []

    @Option(
        name: .customLong("password-policy-default-dn"), help: Self.help(.passwordPolicyDefaultDN, valueName: "dn"))
    var passwordPolicyDefaultDN: String?

    @Option(
        name: .customLong("password-policy-trusted-clients"),
        help: Self.help(.passwordPolicyTrustedClients, valueName: "dns", repeatable: true))
    var passwordPolicyTrustedClients: [String] = []

    @Option(
        name: .customLong("password-quality-min-classes"), help: Self.help(.passwordQualityMinClasses, valueName: "n"))
    var passwordQualityMinClasses: String?

    @Option(
        name: .customLong("password-mail-change-quiet-period"),
        help: Self.help(.passwordMailChangeQuietPeriod, valueName: "seconds"))
    var passwordMailChangeQuietPeriod: String?

    @Option(
        name: .customLong("password-reset-service-accounts"),
        help: Self.help(.passwordResetServiceAccounts, valueName: "dn", repeatable: true))
    var passwordResetServiceAccounts: [String] = []

    @Option(name: .customLong("password-reset-code-length"), help: Self.help(.passwordResetCodeLength, valueName: "n"))
    var passwordResetCodeLength: String?

    @Option(
        name: .customLong("password-reset-code-validity"),
        help: Self.help(.passwordResetCodeValidity, valueName: "seconds"))
    var passwordResetCodeValidity: String?

    @Option(
        name: .customLong("password-reset-code-attempts"), help: Self.help(.passwordResetCodeAttempts, valueName: "n"))
    var passwordResetCodeAttempts: String?

    @Option(
        name: .customLong("password-reset-rate-per-identifier"),
        help: Self.help(.passwordResetRatePerIdentifier, valueName: "count/seconds"))
    var passwordResetRatePerIdentifier: String?

    @Option(
        name: .customLong("password-reset-rate-per-address"),
        help: Self.help(.passwordResetRatePerAddress, valueName: "count/seconds"))
    var passwordResetRatePerAddress: String?

    @Option(name: .customLong("sms-gateway-url"), help: Self.help(.smsGatewayURL, valueName: "url"))
    var smsGatewayURL: String?

    @Option(name: .customLong("sms-gateway-token-file"), help: Self.help(.smsGatewayTokenFile, valueName: "file"))
    var smsGatewayTokenFile: String?

    @Option(name: .customLong("sms-gateway-timeout"), help: Self.help(.smsGatewayTimeout, valueName: "seconds"))
    var smsGatewayTimeout: String?

    @Option(name: .customLong("sms-gateway-retries"), help: Self.help(.smsGatewayRetries, valueName: "n"))
    var smsGatewayRetries: String?

    @Option(name: .customLong("sms-template"), help: Self.help(.smsTemplate, valueName: "text"))
    var smsTemplate: String?

    @Option(name: .customLong("sms-default-country-code"), help: Self.help(.smsDefaultCountryCode, valueName: "digits"))
    var smsDefaultCountryCode: String?

    @Option(name: .customLong("audit-fsync"), help: Self.help(.auditFsync, valueName: "bool"))
    var auditFsync: String?

    @Option(
        name: .customLong("bind-identifier-mail-domains"),
        help: Self.help(.bindIdentifierMailDomains, valueName: "domains", repeatable: true))
    var bindIdentifierMailDomains: [String] = []

    @Option(
        name: .customLong("bind-identifier"), help: Self.help(.bindIdentifier, valueName: "lookups", repeatable: true))
    var bindIdentifier: [String] = []

    @Option(name: .customLong("schema-directory"), help: Self.help(.schemaDirectory, valueName: "dir"))
    var schemaDirectory: String?

    @Option(name: .customLong("schema-files"), help: Self.help(.schemaFiles, valueName: "names", repeatable: true))
    var schemaFiles: [String] = []

    @Option(name: .customLong("map-size"), help: Self.help(.mapSize, valueName: "size"))
    var mapSize: String?

    @Option(name: .customLong("max-map-size"), help: Self.help(.maxMapSize, valueName: "size"))
    var maxMapSize: String?

    @Option(name: .customLong("max-pdu-size"), help: Self.help(.maxPDUSize, valueName: "size"))
    var maxPDUSize: String?

    @Option(name: .customLong("max-filter-depth"), help: Self.help(.maxFilterDepth, valueName: "n"))
    var maxFilterDepth: String?

    @Option(name: .customLong("size-limit"), help: Self.help(.sizeLimit, valueName: "n"))
    var sizeLimit: String?

    @Option(name: .customLong("time-limit"), help: Self.help(.timeLimit, valueName: "seconds"))
    var timeLimit: String?

    @Option(name: .customLong("idle-timeout"), help: Self.help(.idleTimeout, valueName: "seconds"))
    var idleTimeout: String?

    @Option(name: .customLong("max-connections"), help: Self.help(.maxConnections, valueName: "n"))
    var maxConnections: String?

    @Option(
        name: .customLong("max-connections-per-address"), help: Self.help(.maxConnectionsPerAddress, valueName: "n"))
    var maxConnectionsPerAddress: String?

    @Option(
        name: .customLong("max-operations-per-connection"),
        help: Self.help(.maxOperationsPerConnection, valueName: "n"))
    var maxOperationsPerConnection: String?

    @Option(name: .customLong("read-threads"), help: Self.help(.readThreads, valueName: "n"))
    var readThreads: String?

    @Option(name: .customLong("shutdown-timeout"), help: Self.help(.shutdownTimeout, valueName: "seconds"))
    var shutdownTimeout: String?

    @Option(
        name: .customLong("index"),
        help: ArgumentHelp(
            "ATTRIBUTE=KIND[,KIND…] (kinds eq, pres, sub, ord): sets one attribute's index kinds, 'ATTRIBUTE=' "
                + "removes it; repeatable (env ANNUAIRE_INDEX, ';'-separated).",
            valueName: "attr=kinds"))
    var index: [String] = []

    @Option(name: .customLong("smtp-host"), help: Self.help(.smtpHost, valueName: "host"))
    var smtpHost: String?

    @Option(name: .customLong("smtp-port"), help: Self.help(.smtpPort, valueName: "port"))
    var smtpPort: String?

    @Option(name: .customLong("smtp-security"), help: Self.help(.smtpSecurity, valueName: "mode"))
    var smtpSecurity: String?

    @Option(name: .customLong("smtp-ca-file"), help: Self.help(.smtpCAFile, valueName: "file"))
    var smtpCAFile: String?

    @Option(name: .customLong("smtp-username"), help: Self.help(.smtpUsername, valueName: "name"))
    var smtpUsername: String?

    @Option(name: .customLong("smtp-password-file"), help: Self.help(.smtpPasswordFile, valueName: "file"))
    var smtpPasswordFile: String?

    @Option(name: .customLong("smtp-helo-name"), help: Self.help(.smtpHeloName, valueName: "name"))
    var smtpHeloName: String?

    @Option(name: .customLong("smtp-timeout"), help: Self.help(.smtpTimeout, valueName: "seconds"))
    var smtpTimeout: String?

    @Option(name: .customLong("mail-from"), help: Self.help(.mailFrom, valueName: "address"))
    var mailFrom: String?

    @Option(name: .customLong("mail-from-name"), help: Self.help(.mailFromName, valueName: "name"))
    var mailFromName: String?

    @Option(name: .customLong("expiry-notice-subject-file"), help: Self.help(.expiryNoticeSubjectFile, valueName: "file"))
    var expiryNoticeSubjectFile: String?

    @Option(name: .customLong("expiry-notice-body-file"), help: Self.help(.expiryNoticeBodyFile, valueName: "file"))
    var expiryNoticeBodyFile: String?

    @Option(name: .customLong("expiry-notice-time-zone"), help: Self.help(.expiryNoticeTimeZone, valueName: "zone"))
    var expiryNoticeTimeZone: String?

    @Option(name: .customLong("expiry-notice-daily-at"), help: Self.help(.expiryNoticeDailyAt, valueName: "hh:mm"))
    var expiryNoticeDailyAt: String?

    @Option(
        name: .customLong("expiry-notice-thresholds"),
        help: Self.help(.expiryNoticeThresholds, valueName: "days", repeatable: true))
    var expiryNoticeThresholds: [String] = []

    init() {}

    private static func help(_ key: ConfigurationKey, valueName: String, repeatable: Bool = false) -> ArgumentHelp {
        var text =
            key.summary.prefix(1).uppercased() + key.summary.dropFirst()
            + " (default \(key.defaultDescription); env \(key.environmentVariable)"
        text += repeatable ? "; repeatable, or comma-separated)." : ")."
        return ArgumentHelp(text, valueName: valueName)
    }

    /// The settings given as flags, in the order of the keys.
    var settings: [RawSetting] {
        let single: [(ConfigurationKey, String?)] = [
            (.dataDirectory, dataDirectory), (.suffix, suffix), (.rootDN, rootDN),
            (.rootPasswordFile, rootPasswordFile), (.tlsCertificate, tlsCertificate), (.tlsKey, tlsKey),
            (.tlsCAFile, tlsCAFile), (.metrics, metrics), (.logLevel, logLevel),
            (.schemaDirectory, schemaDirectory), (.mapSize, mapSize), (.maxMapSize, maxMapSize),
            (.maxPDUSize, maxPDUSize), (.maxFilterDepth, maxFilterDepth), (.tlsVerifyClients, tlsVerifyClients),
            (.requireTLSForPasswords, requireTLSForPasswords), (.sizeLimit, sizeLimit), (.timeLimit, timeLimit),
            (.idleTimeout, idleTimeout), (.maxConnections, maxConnections),
            (.maxConnectionsPerAddress, maxConnectionsPerAddress),
            (.maxOperationsPerConnection, maxOperationsPerConnection), (.readThreads, readThreads),
            (.shutdownTimeout, shutdownTimeout), (.accessRules, accessRules), (.auditLog, auditLog),
            (.auditFailure, auditFailure), (.auditFsync, auditFsync), (.passwordHash, passwordHash),
            (.passwordArgon2Memory, passwordArgon2Memory), (.passwordArgon2Iterations, passwordArgon2Iterations),
            (.passwordArgon2Parallelism, passwordArgon2Parallelism), (.passwordPBKDF2Rounds, passwordPBKDF2Rounds),
            (.passwordRehashOnBind, passwordRehashOnBind), (.passwordAcceptPrehashed, passwordAcceptPrehashed),
            (.passwordPolicyDefaultDN, passwordPolicyDefaultDN), (.passwordQualityMinClasses, passwordQualityMinClasses),
            (.passwordMailChangeQuietPeriod, passwordMailChangeQuietPeriod),
            (.passwordResetCodeLength, passwordResetCodeLength),
            (.passwordResetCodeValidity, passwordResetCodeValidity),
            (.passwordResetCodeAttempts, passwordResetCodeAttempts),
            (.passwordResetRatePerIdentifier, passwordResetRatePerIdentifier),
            (.passwordResetRatePerAddress, passwordResetRatePerAddress), (.smsGatewayURL, smsGatewayURL),
            (.smsGatewayTokenFile, smsGatewayTokenFile), (.smsGatewayTimeout, smsGatewayTimeout),
            (.smsGatewayRetries, smsGatewayRetries), (.smsTemplate, smsTemplate),
            (.smsDefaultCountryCode, smsDefaultCountryCode),
            (.smtpHost, smtpHost),
            (.smtpPort, smtpPort),
            (.smtpSecurity, smtpSecurity),
            (.smtpCAFile, smtpCAFile),
            (.smtpUsername, smtpUsername),
            (.smtpPasswordFile, smtpPasswordFile),
            (.smtpHeloName, smtpHeloName),
            (.smtpTimeout, smtpTimeout),
            (.mailFrom, mailFrom),
            (.mailFromName, mailFromName),
            (.expiryNoticeSubjectFile, expiryNoticeSubjectFile),
            (.expiryNoticeBodyFile, expiryNoticeBodyFile),
            (.expiryNoticeTimeZone, expiryNoticeTimeZone),
            (.expiryNoticeDailyAt, expiryNoticeDailyAt),
            (.domainRules, domainRules),
        ]
        var settings: [RawSetting] = single.compactMap { key, value in
            value.map { RawSetting(key: key, value: .text($0), source: .flag(key.flag)) }
        }
        if !listen.isEmpty {
            settings.append(
                RawSetting(key: .listen, value: .texts(listen), source: .flag(ConfigurationKey.listen.flag)))
        }
        if !bindIdentifier.isEmpty {
            settings.append(
                RawSetting(
                    key: .bindIdentifier, value: .texts(bindIdentifier),
                    source: .flag(ConfigurationKey.bindIdentifier.flag)))
        }
        if !bindIdentifierMailDomains.isEmpty {
            settings.append(
                RawSetting(
                    key: .bindIdentifierMailDomains, value: .texts(bindIdentifierMailDomains),
                    source: .flag(ConfigurationKey.bindIdentifierMailDomains.flag)))
        }
        if !passwordPolicyTrustedClients.isEmpty {
            // DNs contain commas: each flag is one DN (the environment separates them with ';').
            settings.append(
                RawSetting(
                    key: .passwordPolicyTrustedClients, value: .texts(passwordPolicyTrustedClients),
                    source: .flag(ConfigurationKey.passwordPolicyTrustedClients.flag)))
        }
        if !passwordResetServiceAccounts.isEmpty {
            settings.append(
                RawSetting(
                    key: .passwordResetServiceAccounts, value: .texts(passwordResetServiceAccounts),
                    source: .flag(ConfigurationKey.passwordResetServiceAccounts.flag)))
        }
        if !expiryNoticeThresholds.isEmpty {
            settings.append(
                RawSetting(
                    key: .expiryNoticeThresholds, value: .texts(expiryNoticeThresholds),
                    source: .flag(ConfigurationKey.expiryNoticeThresholds.flag)))
        }
        for (key, values) in [
            (ConfigurationKey.domainRulesGenericMailLocalParts, domainRulesGenericMailLocalParts),
            (.domainRulesGenericMailPatterns, domainRulesGenericMailPatterns),
        ] where !values.isEmpty {
            settings.append(RawSetting(key: key, value: .texts(values), source: .flag(key.flag)))
        }
        if !schemaFiles.isEmpty {
            settings.append(
                RawSetting(
                    key: .schemaFiles, value: .texts(schemaFiles), source: .flag(ConfigurationKey.schemaFiles.flag)))
        }
        return settings.sorted { $0.key < $1.key }
    }

    /// A loader of these flags and `environment`.
    func loader(environment: [String: String]) -> ConfigurationLoader {
        var indexSettings: [RawIndexSetting] = []
        var issues: [ConfigurationIssue] = []
        for assignment in index {
            do {
                indexSettings.append(try RawIndexSetting.parse(assignment: assignment, source: .flag("--index")))
            } catch {
                issues.append(error)
            }
        }
        return ConfigurationLoader(
            configPath: configFile,
            flagSettings: settings,
            flagIndexSettings: indexSettings,
            flagIssues: issues,
            environment: environment
        )
    }
}

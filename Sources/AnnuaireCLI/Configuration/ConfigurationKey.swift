import Directory
import DomainRules
import Foundation
import PasswordHashing

/// A setting of the configuration: its name in the file, its environment variable and flag, its type, default and
/// meaning. `docs/configuration.md` is the same table for people; a test keeps the two in step.
enum ConfigurationKey: String, CaseIterable, Sendable, Comparable {
    case dataDirectory = "data-dir"
    case suffix
    case rootDN = "root-dn"
    case rootPasswordFile = "root-password-file"
    case listen
    case tlsCertificate = "tls-certificate"
    case tlsKey = "tls-key"
    case tlsCAFile = "tls-ca-file"
    case tlsVerifyClients = "tls-verify-clients"
    case requireTLSForPasswords = "require-tls-for-passwords"
    case metrics
    case logLevel = "log-level"
    case accessRules = "access-rules"
    case auditLog = "audit-log"
    case auditFailure = "audit-failure"
    case auditFsync = "audit-fsync"
    case bindIdentifier = "bind-identifier"
    case bindIdentifierMailDomains = "bind-identifier-mail-domains"
    case passwordHash = "password-hash"
    case passwordArgon2Memory = "password-argon2-memory"
    case passwordArgon2Iterations = "password-argon2-iterations"
    case passwordArgon2Parallelism = "password-argon2-parallelism"
    case passwordPBKDF2Rounds = "password-pbkdf2-rounds"
    case passwordRehashOnBind = "password-rehash-on-bind"
    case passwordAcceptPrehashed = "password-accept-prehashed"
    case passwordPolicyDefaultDN = "password-policy-default-dn"
    case passwordPolicyTrustedClients = "password-policy-trusted-clients"
    case passwordQualityMinClasses = "password-quality-min-classes"
    case passwordMailChangeQuietPeriod = "password-mail-change-quiet-period"
    case passwordResetServiceAccounts = "password-reset-service-accounts"
    case passwordResetCodeLength = "password-reset-code-length"
    case passwordResetCodeValidity = "password-reset-code-validity"
    case passwordResetCodeAttempts = "password-reset-code-attempts"
    case passwordResetRatePerIdentifier = "password-reset-rate-per-identifier"
    case passwordResetRatePerAddress = "password-reset-rate-per-address"
    case smsGatewayURL = "sms-gateway-url"
    case smsGatewayTokenFile = "sms-gateway-token-file"
    case smsGatewayTimeout = "sms-gateway-timeout"
    case smsGatewayRetries = "sms-gateway-retries"
    case smsTemplate = "sms-template"
    case smsDefaultCountryCode = "sms-default-country-code"
    case schemaDirectory = "schema-directory"
    case schemaFiles = "schema-files"
    case mapSize = "map-size"
    case maxMapSize = "max-map-size"
    case maxPDUSize = "max-pdu-size"
    case maxFilterDepth = "max-filter-depth"
    case sizeLimit = "size-limit"
    case timeLimit = "time-limit"
    case idleTimeout = "idle-timeout"
    case maxConnections = "max-connections"
    case maxConnectionsPerAddress = "max-connections-per-address"
    case maxOperationsPerConnection = "max-operations-per-connection"
    case readThreads = "read-threads"
    case shutdownTimeout = "shutdown-timeout"
    case smtpHost = "smtp-host"
    case smtpPort = "smtp-port"
    case smtpSecurity = "smtp-security"
    case smtpCAFile = "smtp-ca-file"
    case smtpUsername = "smtp-username"
    case smtpPasswordFile = "smtp-password-file"
    case smtpHeloName = "smtp-helo-name"
    case smtpTimeout = "smtp-timeout"
    case mailFrom = "mail-from"
    case mailFromName = "mail-from-name"
    case expiryNoticeThresholds = "expiry-notice-thresholds"
    case expiryNoticeSubjectFile = "expiry-notice-subject-file"
    case expiryNoticeBodyFile = "expiry-notice-body-file"
    case expiryNoticeTimeZone = "expiry-notice-time-zone"
    case expiryNoticeDailyAt = "expiry-notice-daily-at"
    case domainRules = "domain-rules"
    case domainRulesGenericMailLocalParts = "domain-rules-generic-mail-local-parts"
    case domainRulesGenericMailPatterns = "domain-rules-generic-mail-patterns"
    case index

    /// The shape of a key's value, which decides how text from the environment or a flag is read.
    enum ValueType: Sendable {
        /// One string (a path, a DN, a URL, a word).
        case string
        /// A list of strings: an array in the file, comma-separated in the environment, a repeatable flag.
        case list
        /// A size in bytes: an integer, or a string with a binary unit (`"256KiB"`, `"1GiB"`).
        case size
        /// A whole number.
        case integer
        /// `true` or `false` (in the environment and flags also `yes`/`no`, `on`/`off`, `1`/`0`).
        case boolean
        /// The `[index]` table: attribute → list of index kinds.
        case indexTable
    }

    /// The key as written in the configuration file.
    var name: String { rawValue }

    /// `ANNUAIRE_` + the key in upper snake case.
    var environmentVariable: String {
        "ANNUAIRE_" + String(rawValue.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// `--` + the key.
    var flag: String { "--" + rawValue }

    /// The shape of the value.
    var valueType: ValueType {
        switch self {
        case .listen, .schemaFiles, .bindIdentifier, .bindIdentifierMailDomains, .passwordPolicyTrustedClients,
            .passwordResetServiceAccounts, .expiryNoticeThresholds, .domainRulesGenericMailLocalParts,
            .domainRulesGenericMailPatterns:
            .list
        case .mapSize, .maxMapSize, .maxPDUSize: .size
        case .maxFilterDepth, .sizeLimit, .timeLimit, .idleTimeout, .maxConnections, .maxConnectionsPerAddress,
            .maxOperationsPerConnection, .readThreads, .shutdownTimeout, .passwordArgon2Memory,
            .passwordArgon2Iterations, .passwordArgon2Parallelism, .passwordPBKDF2Rounds, .passwordQualityMinClasses,
            .passwordMailChangeQuietPeriod, .passwordResetCodeLength, .passwordResetCodeValidity,
            .passwordResetCodeAttempts, .smsGatewayTimeout, .smsGatewayRetries, .smtpPort, .smtpTimeout:
            .integer
        case .requireTLSForPasswords, .auditFsync, .passwordRehashOnBind, .passwordAcceptPrehashed, .domainRules:
            .boolean
        case .index: .indexTable
        default: .string
        }
    }

    /// The type as the reference documentation names it.
    var typeName: String {
        switch self {
        case .dataDirectory, .schemaDirectory: "directory"
        case .rootPasswordFile, .tlsCertificate, .tlsKey, .tlsCAFile: "file"
        case .suffix, .rootDN: "DN"
        case .listen: "list of URLs"
        case .metrics: "URL"
        case .logLevel: "level"
        case .accessRules: "file"
        case .auditLog: "file or stderr"
        case .auditFailure: "mode"
        case .bindIdentifier: "list of lookups"
        case .bindIdentifierMailDomains: "list of domains"
        case .auditFsync, .passwordRehashOnBind, .passwordAcceptPrehashed: "boolean"
        case .passwordHash: "scheme"
        case .passwordPolicyDefaultDN: "DN"
        case .passwordPolicyTrustedClients: "list of DNs"
        case .passwordQualityMinClasses: "integer"
        case .passwordMailChangeQuietPeriod: "seconds"
        case .passwordResetServiceAccounts: "list of DNs"
        case .passwordResetCodeLength, .passwordResetCodeAttempts, .smsGatewayRetries: "integer"
        case .passwordResetCodeValidity, .smsGatewayTimeout: "seconds"
        case .passwordResetRatePerIdentifier, .passwordResetRatePerAddress: "count/seconds"
        case .smsGatewayURL: "URL"
        case .smsGatewayTokenFile: "file"
        case .smsTemplate: "text"
        case .smsDefaultCountryCode: "digits"
        case .passwordArgon2Memory: "KiB"
        case .passwordArgon2Iterations, .passwordArgon2Parallelism, .passwordPBKDF2Rounds: "integer"
        case .schemaFiles: "list of names"
        case .mapSize, .maxMapSize, .maxPDUSize: "size"
        case .maxFilterDepth, .maxConnections, .maxConnectionsPerAddress, .maxOperationsPerConnection, .readThreads,
            .sizeLimit:
            "integer"
        case .timeLimit, .idleTimeout, .shutdownTimeout: "seconds"
        case .tlsVerifyClients: "mode"
        case .requireTLSForPasswords, .domainRules: "boolean"
        case .domainRulesGenericMailLocalParts: "list of words"
        case .domainRulesGenericMailPatterns: "list of patterns"
        case .smtpHost: "host"
        case .smtpPort: "port"
        case .smtpSecurity: "mode"
        case .smtpCAFile, .smtpPasswordFile, .expiryNoticeSubjectFile, .expiryNoticeBodyFile: "file"
        case .smtpUsername, .smtpHeloName, .mailFromName: "string"
        case .smtpTimeout: "seconds"
        case .mailFrom: "address"
        case .expiryNoticeThresholds: "list of days"
        case .expiryNoticeTimeZone: "time zone"
        case .expiryNoticeDailyAt: "HH:MM"
        case .index: "table"
        }
    }

    /// Whether the value itself is secret and is masked wherever the configuration is printed.
    ///
    /// No key holds a secret inline today (passwords are in files); the URL of `metrics` may carry credentials,
    /// which are masked on their own (``MetricsURL/maskedDescription``).
    var isSecret: Bool { false }

    /// One line saying what the key is for.
    var summary: String {
        switch self {
        case .dataDirectory: "where the database and generated files (TLS pair, lock) live; created on first start"
        case .suffix: "the naming context the server holds"
        case .rootDN: "the directory manager, who bypasses access control; must be below the suffix"
        case .rootPasswordFile: "file holding the directory manager's password or a {SCHEME} hash"
        case .listen: "the listeners, ldap://HOST:PORT (StartTLS available) and ldaps://HOST:PORT"
        case .tlsCertificate: "PEM certificate chain; without it a self-signed pair is made in the data dir"
        case .tlsKey: "PEM private key of tls-certificate"
        case .tlsCAFile: "PEM certificates of the authorities trusted for client certificates"
        case .tlsVerifyClients: "client certificates: none (not asked), optional (checked when sent), required"
        case .requireTLSForPasswords:
            "refuse simple binds with a password over an unencrypted connection from another host"
        case .metrics: "http://HOST:PORT[/PATH] of the Prometheus metrics endpoint; off when absent"
        case .logLevel: "trace, debug, info, notice, warning or error"
        case .accessRules: "the access-control rules (docs/access-control.md); the root DN bypasses them"
        case .auditLog: "where the audit trail of writes goes: a file (JSON Lines, appended) or stderr"
        case .auditFailure: "when the audit line cannot be written: fail the write (fail) or go on (continue)"
        case .passwordPolicyDefaultDN: "the pwdPolicy entry of entries without pwdPolicySubentry (not set: no policy)"
        case .passwordPolicyTrustedClients: "bound DNs to whom the policy control may reveal accountLocked"
        case .passwordQualityMinClasses:
            "character classes (lower, upper, digit, other) a new password needs when pwdCheckQuality is on"
        case .passwordMailChangeQuietPeriod:
            "seconds after a mail change during which resets by others are refused (D8; 0: off)"
        case .passwordResetServiceAccounts:
            "bound DNs allowed to call the self-service reset operations (empty: the operations are off)"
        case .passwordResetCodeLength: "digits of a self-service reset code (6 to 8)"
        case .passwordResetCodeValidity: "seconds a reset code stays valid"
        case .passwordResetCodeAttempts: "wrong codes accepted before a reset code is invalidated"
        case .passwordResetRatePerIdentifier: "code requests per identifier per window, COUNT/SECONDS (off: none)"
        case .passwordResetRatePerAddress: "code requests and resets per client address per window, COUNT/SECONDS"
        case .smsGatewayURL: "http(s) URL the SMS gateway is POSTed to (JSON body)"
        case .smsGatewayTokenFile: "file holding the SMS gateway's bearer token (never printed or logged)"
        case .smsGatewayTimeout: "seconds one call to the SMS gateway may take"
        case .smsGatewayRetries: "retries of a failed SMS gateway call (exponential back-off from 1 s)"
        case .smsTemplate: "the text of the code SMS, with {code} and {minutes}"
        case .smsDefaultCountryCode: "country code put in place of the leading 0 of a national mobile number"
        case .passwordHash: "the scheme new passwords are stored with: argon2, ssha, ssha512, pbkdf2-sha512, crypt…"
        case .passwordArgon2Memory: "Argon2id memory cost of new hashes, in KiB"
        case .passwordArgon2Iterations: "Argon2id passes over the memory"
        case .passwordArgon2Parallelism: "Argon2id lanes"
        case .passwordPBKDF2Rounds: "PBKDF2 rounds of new hashes (when password-hash is pbkdf2-…)"
        case .passwordRehashOnBind: "re-hash a password stored with another scheme or costs at its next successful bind"
        case .passwordAcceptPrehashed: "store {SCHEME} values sent by users other than the root DN (off: refused)"
        case .auditFsync: "fsync the audit file after each line (as durable as the change it records)"
        case .bindIdentifierMailDomains: "mail domains whose local part is a sign-in identifier (empty: any)"
        case .bindIdentifier:
            "how a bare sign-in identifier given as bind name is resolved: uid, mail-local-part (empty: off)"
        case .schemaDirectory: "the directory of the schema files"
        case .schemaFiles: "the schema files loaded, in order, by name (NAME.schema in schema-directory)"
        case .mapSize: "initial LMDB map size (address space, not disk)"
        case .maxMapSize: "the most the LMDB map may grow to"
        case .maxPDUSize: "the largest LDAP message accepted from a client"
        case .maxFilterDepth: "the deepest nesting of a search filter accepted"
        case .sizeLimit: "the most entries a search returns (0: no limit); the root DN is not limited"
        case .timeLimit: "the most seconds a search runs (0: no limit); the root DN is not limited"
        case .idleTimeout: "seconds after which an idle connection is closed (0: never)"
        case .maxConnections: "the most client connections open at once"
        case .maxConnectionsPerAddress: "the most client connections open at once from one address"
        case .maxOperationsPerConnection: "the most operations in progress on one connection (more: busy)"
        case .readThreads: "threads that run searches, compares and binds (0: one per core)"
        case .shutdownTimeout: "seconds in-flight operations get to finish on SIGTERM before they are abandoned"
        case .smtpHost: "the mail relay the expiry notices go through (not set: notify-expiry cannot send)"
        case .smtpPort: "the mail relay's port (587 submission with STARTTLS, 465 with smtp-security tls)"
        case .smtpSecurity: "starttls (required), tls (implicit TLS) or none (a local relay; no AUTH then)"
        case .smtpCAFile: "PEM authorities the relay's certificate is checked against (not set: the system's)"
        case .smtpUsername: "user name for SMTP AUTH PLAIN/LOGIN, over TLS only (not set: no AUTH)"
        case .smtpPasswordFile: "file holding the SMTP AUTH password (with smtp-username)"
        case .smtpHeloName: "the name given in EHLO"
        case .smtpTimeout: "seconds to wait for the relay's connection and each reply"
        case .mailFrom: "the no-reply address the expiry notices come from (D5)"
        case .mailFromName: "the display name of mail-from"
        case .expiryNoticeThresholds: "days before expiry at which a notice is sent, one per threshold"
        case .expiryNoticeSubjectFile: "UTF-8 template of the notice's subject (not set: the built-in French one)"
        case .expiryNoticeBodyFile: "UTF-8 template of the notice's body (not set: the built-in French one)"
        case .expiryNoticeTimeZone: "the time zone of the dates written in the notices"
        case .expiryNoticeDailyAt: "HH:MM (in expiry-notice-time-zone) at which serve sends the notices daily"
        case .index: "attribute → index kinds (eq, pres, sub, ord); overrides the default per attribute"
        case .domainRules: "enforce the partner directory's rules D1-D4, D9-D13 on every write (docs/domain-rules.md)"
        case .domainRulesGenericMailLocalParts: "generic mail words refused as an address's local part or first word (D3)"
        case .domainRulesGenericMailPatterns: "patterns (* any, ? one character, # one digit) of generic mailboxes (D3)"
        }
    }

    /// The default, as the reference documentation and `--help` show it.
    var defaultDescription: String {
        switch self {
        case .dataDirectory: Configuration.defaultDataDirectory
        case .suffix: Configuration.defaultSuffixText
        case .rootDN: "cn=admin,<suffix>"
        case .rootPasswordFile, .tlsCertificate, .tlsKey, .tlsCAFile, .metrics: "not set"
        case .listen: Configuration.defaultListenTexts.joined(separator: ",")
        case .logLevel: Configuration.defaultLogLevel.rawValue
        case .accessRules: Configuration.defaultAccessRules
        case .auditLog: Configuration.defaultAuditLog
        case .auditFailure: Configuration.defaultAuditFailure.rawValue
        case .bindIdentifier: Configuration.defaultBindIdentifier.map(\.rawValue).joined(separator: ",")
        case .bindIdentifierMailDomains: Configuration.defaultBindIdentifierMailDomains.joined(separator: ",")
        case .auditFsync, .passwordRehashOnBind: "true"
        case .passwordAcceptPrehashed: "false"
        case .passwordHash: "argon2"
        case .passwordPolicyDefaultDN, .passwordPolicyTrustedClients: "not set"
        case .passwordQualityMinClasses: "3"
        case .passwordMailChangeQuietPeriod: "86400"
        case .passwordResetServiceAccounts, .smsGatewayURL, .smsGatewayTokenFile: "not set"
        case .passwordResetCodeLength: "6"
        case .passwordResetCodeValidity: "600"
        case .passwordResetCodeAttempts: "3"
        case .passwordResetRatePerIdentifier: "3/3600"
        case .passwordResetRatePerAddress: "20/3600"
        case .smsGatewayTimeout: "10"
        case .smsGatewayRetries: "2"
        case .smsTemplate: PasswordResetConfiguration.defaultTemplate
        case .smsDefaultCountryCode: "33"
        case .passwordArgon2Memory: "\(Argon2Parameters.default.memoryKiB)"
        case .passwordArgon2Iterations: "\(Argon2Parameters.default.iterations)"
        case .passwordArgon2Parallelism: "\(Argon2Parameters.default.parallelism)"
        case .passwordPBKDF2Rounds: "600000"
        case .schemaDirectory: Configuration.defaultSchemaDirectory
        case .schemaFiles: Configuration.defaultSchemaFiles.joined(separator: ",")
        case .mapSize: ByteSize.format(Configuration.defaultMapSize)
        case .maxMapSize: ByteSize.format(Configuration.defaultMaxMapSize)
        case .maxPDUSize: ByteSize.format(Configuration.defaultMaxPDUSize)
        case .maxFilterDepth: "\(Configuration.defaultMaxFilterDepth)"
        case .tlsVerifyClients: Configuration.defaultTLSVerifyClients.rawValue
        case .requireTLSForPasswords: "true"
        case .sizeLimit: "\(Configuration.defaultSizeLimit)"
        case .timeLimit: "\(Configuration.defaultTimeLimit)"
        case .idleTimeout: "\(Configuration.defaultIdleTimeout)"
        case .maxConnections: "\(Configuration.defaultMaxConnections)"
        case .maxConnectionsPerAddress: "\(Configuration.defaultMaxConnectionsPerAddress)"
        case .maxOperationsPerConnection: "\(Configuration.defaultMaxOperationsPerConnection)"
        case .readThreads: "0"
        case .shutdownTimeout: "\(Configuration.defaultShutdownTimeout)"
        case .smtpHost, .smtpCAFile, .smtpUsername, .smtpPasswordFile, .mailFromName, .expiryNoticeDailyAt:
            "not set"
        case .smtpPort: "\(ExpiryNoticeConfiguration.defaultSMTPPort)"
        case .smtpSecurity: "starttls"
        case .smtpHeloName: "localhost"
        case .smtpTimeout: "\(ExpiryNoticeConfiguration.defaultSMTPTimeout)"
        case .mailFrom: ExpiryNoticeConfiguration.defaultFrom
        case .expiryNoticeThresholds: ExpiryNoticeConfiguration.defaultThresholds.map(String.init).joined(separator: ",")
        case .expiryNoticeSubjectFile, .expiryNoticeBodyFile: "built in"
        case .expiryNoticeTimeZone: ExpiryNoticeConfiguration.defaultTimeZone
        case .index: "see docs/configuration.md"
        case .domainRules: "true"
        case .domainRulesGenericMailLocalParts: GenericMailPolicy.defaultLocalParts.joined(separator: ",")
        case .domainRulesGenericMailPatterns: GenericMailPolicy.defaultPatterns.joined(separator: ",")
        }
    }

    static func < (lhs: ConfigurationKey, rhs: ConfigurationKey) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The key named `name` in a configuration file, if there is one.
    init?(fileKey name: String) {
        self.init(rawValue: name)
    }

    /// The key whose environment variable is `name`, if there is one.
    init?(environmentVariable name: String) {
        guard let key = Self.allCases.first(where: { $0.environmentVariable == name }) else { return nil }
        self = key
    }

    /// The known key closest to a misspelt one, for "did you mean" hints: same letters ignoring case and `_`/`-`,
    /// or at most two edits away.
    static func suggestion(for name: String) -> ConfigurationKey? {
        let folded = name.lowercased().replacingOccurrences(of: "_", with: "-")
        if let exact = ConfigurationKey(rawValue: folded) { return exact }
        let best = allCases.map { ($0, editDistance(folded, $0.rawValue)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= 2 else { return nil }
        return best.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.count]
    }
}

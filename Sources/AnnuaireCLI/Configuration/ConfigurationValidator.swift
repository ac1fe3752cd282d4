import Directory
import LDAPProtocol
import PasswordHashing
import Schema

/// Chooses each key's value by precedence, converts it to its type and checks it, collecting every problem.
struct ConfigurationValidator {
    /// The chosen setting of each key that some source set.
    private let chosen: [ConfigurationKey: RawSetting]
    /// The index settings, in rising precedence.
    private let indexSettings: [RawIndexSetting]
    /// Problems found so far.
    private(set) var issues: [ConfigurationIssue] = []
    /// Where each index line came from, by lower-cased attribute.
    private(set) var indexSources: [String: ConfigurationSource] = [:]
    /// Keys whose value was invalid: checks that depend on them are skipped.
    private var invalidKeys: Set<ConfigurationKey> = []

    init(settings: [RawSetting], indexSettings: [RawIndexSetting]) {
        var chosen: [ConfigurationKey: RawSetting] = [:]
        for setting in settings {
            // A later setting of the same precedence wins (a flag given twice).
            if let current = chosen[setting.key], current.source.precedence > setting.source.precedence {
                continue
            }
            chosen[setting.key] = setting
        }
        self.chosen = chosen
        self.indexSettings = indexSettings.enumerated()
            .sorted { ($0.element.source.precedence, $0.offset) < ($1.element.source.precedence, $1.offset) }
            .map(\.element)
    }

    /// Where every key's value came from.
    var chosenSources: [ConfigurationKey: ConfigurationSource] {
        var sources: [ConfigurationKey: ConfigurationSource] = [:]
        for key in ConfigurationKey.allCases {
            sources[key] = chosen[key]?.source ?? .default
        }
        return sources
    }

    // MARK: - The whole configuration

    /// The configuration and its schema, or `nil` when a problem stops it (``issues`` says which).
    mutating func validate() -> (Configuration, Schema)? {
        if let setting = chosen[.index] {
            fail(
                .index, "the index is a table: write [index] on a line, then one 'ATTRIBUTE = [\"eq\", …]' per line",
                source: setting.source)
        }

        let dataDirectory = requiredText(.dataDirectory) ?? Configuration.defaultDataDirectory
        if !invalidKeys.contains(.dataDirectory), let problem = FileProbe.problemWithCreatableDirectory(dataDirectory) {
            fail(.dataDirectory, problem)
        }

        let suffix = distinguishedName(.suffix) ?? (try! DistinguishedName(Configuration.defaultSuffixText))
        if !invalidKeys.contains(.suffix), suffix.isRoot {
            fail(.suffix, "the suffix must not be empty (the root DSE is not a naming context)")
        }
        let rootDN = distinguishedName(.rootDN) ?? Configuration.defaultRootDN(suffix: suffix)
        if !invalidKeys.contains(.rootDN), !invalidKeys.contains(.suffix),
            !rootDN.normalized().isDescendant(of: suffix.normalized())
        {
            fail(.rootDN, "'\(rootDN)' is not below the suffix '\(suffix)'")
        }

        let rootPasswordFile = optionalText(.rootPasswordFile)
        if let rootPasswordFile, let problem = FileProbe.problemWithReadableFile(rootPasswordFile, nonEmpty: true) {
            fail(.rootPasswordFile, problem)
        }

        let listeners = listenerURLs()
        let (tlsCertificate, tlsKey, tlsCAFile) = tlsFiles()
        var tlsVerifyClients = Configuration.defaultTLSVerifyClients
        if let text = requiredText(.tlsVerifyClients) {
            if let mode = ClientCertificateMode(rawValue: text.lowercased()) {
                tlsVerifyClients = mode
            } else {
                let names = ClientCertificateMode.allCases.map(\.rawValue).joined(separator: ", ")
                fail(.tlsVerifyClients, "'\(text)' is not a mode (expected one of \(names))")
            }
        }
        if tlsVerifyClients != .none, !invalidKeys.contains(.tlsCAFile), tlsCAFile == nil {
            fail(.tlsVerifyClients, "'\(tlsVerifyClients.rawValue)' needs tls-ca-file, the authorities to check against")
        }
        let requireTLSForPasswords = boolean(.requireTLSForPasswords, default: true)

        var metrics: MetricsURL?
        if let text = optionalText(.metrics) {
            do {
                metrics = try MetricsURL(parsing: text)
            } catch {
                fail(.metrics, error.message)
            }
        }
        if let metrics, let clash = listeners.first(where: { $0.host == metrics.host && $0.port == metrics.port }) {
            fail(.metrics, "'\(metrics.maskedDescription)' uses the address of the listener '\(clash)'")
        }

        var logLevel = Configuration.defaultLogLevel
        if let text = requiredText(.logLevel) {
            if let level = LogLevel(name: text) {
                logLevel = level
            } else {
                let names = LogLevel.allCases.map(\.rawValue).joined(separator: ", ")
                fail(.logLevel, "'\(text)' is not a log level (expected one of \(names))")
            }
        }

        // The default rule file is relative to the working directory and only `serve` reads it (which reports a
        // missing one as this key's fault); a rule file set explicitly is checked for every command.
        let accessRules = requiredText(.accessRules) ?? Configuration.defaultAccessRules
        if !invalidKeys.contains(.accessRules), chosen[.accessRules] != nil,
            let problem = FileProbe.problemWithReadableFile(accessRules, nonEmpty: true)
        {
            fail(.accessRules, problem)
        }
        let auditLog = requiredText(.auditLog) ?? Configuration.defaultAuditLog
        if !invalidKeys.contains(.auditLog), auditLog != "stderr", auditLog != "off",
            let problem = FileProbe.problemWithCreatableFile(auditLog)
        {
            fail(.auditLog, problem)
        }
        var auditFailure = Configuration.defaultAuditFailure
        if let text = requiredText(.auditFailure) {
            if let mode = AuditLog.FailureMode(rawValue: text.lowercased()) {
                auditFailure = mode
            } else {
                fail(.auditFailure, "'\(text)' is not a mode (expected fail or continue)")
            }
        }
        var bindIdentifier = Configuration.defaultBindIdentifier
        if let names = list(.bindIdentifier) {
            bindIdentifier = []
            for name in names where name.lowercased() != "off" {
                if let lookup = BindIdentifierLookup(rawValue: name.lowercased()) {
                    if !bindIdentifier.contains(lookup) { bindIdentifier.append(lookup) }
                } else {
                    let known = BindIdentifierLookup.allCases.map(\.rawValue).joined(separator: ", ")
                    fail(.bindIdentifier, "'\(name)' is not a lookup (expected \(known), or off)")
                }
            }
        }
        let bindIdentifierMailDomains =
            list(.bindIdentifierMailDomains)?.map { $0.lowercased() } ?? Configuration.defaultBindIdentifierMailDomains
        for domain in bindIdentifierMailDomains
        where domain.isEmpty || domain.contains("@") || domain.contains(where: { $0 == " " || $0 == "*" }) {
            fail(.bindIdentifierMailDomains, "'\(domain)' is not a mail domain (expected e.g. dgfip.finances.gouv.fr)")
        }
        let auditFsync = boolean(.auditFsync, default: true)
        let passwordStorage = passwordStorageSettings()
        let passwordPolicyDefaultDN = distinguishedName(.passwordPolicyDefaultDN)
        var passwordPolicyTrustedClients: [DistinguishedName] = []
        for text in distinguishedNameList(.passwordPolicyTrustedClients) ?? [] {
            do {
                passwordPolicyTrustedClients.append(try DistinguishedName(text))
            } catch {
                fail(.passwordPolicyTrustedClients, "'\(text)' is not a distinguished name: \(error)")
            }
        }
        let passwordQualityMinClasses = integer(.passwordQualityMinClasses, default: 3, range: 0...4)
        let passwordMailChangeQuietPeriod = integer(
            .passwordMailChangeQuietPeriod, default: 86_400, range: 0...(86_400 * 365))
        let passwordReset = passwordResetSettings()

        let schemaDirectory = requiredText(.schemaDirectory) ?? Configuration.defaultSchemaDirectory
        let schemaFiles = list(.schemaFiles) ?? Configuration.defaultSchemaFiles
        if !invalidKeys.contains(.schemaFiles), schemaFiles.isEmpty {
            fail(.schemaFiles, "at least one schema file is needed")
        }
        let schema = loadSchema(directory: schemaDirectory, files: schemaFiles)

        let mapSize = size(.mapSize, default: Configuration.defaultMapSize, minimum: 1 << 20)
        let maxMapSize = size(.maxMapSize, default: Configuration.defaultMaxMapSize, minimum: 1 << 20)
        if !invalidKeys.contains(.mapSize), !invalidKeys.contains(.maxMapSize), mapSize > maxMapSize {
            fail(
                .maxMapSize,
                "\(ByteSize.format(maxMapSize)) is smaller than map-size (\(ByteSize.format(mapSize)), "
                    + "from \(source(.mapSize)))")
        }
        let maxPDUSize = size(.maxPDUSize, default: Configuration.defaultMaxPDUSize, minimum: 1 << 10, maximum: 1 << 30)
        let maxFilterDepth = integer(.maxFilterDepth, default: Configuration.defaultMaxFilterDepth, range: 1...1_000)

        let sizeLimit = integer(.sizeLimit, default: Configuration.defaultSizeLimit, range: 0...Int(Int32.max))
        let timeLimit = integer(.timeLimit, default: Configuration.defaultTimeLimit, range: 0...Int(Int32.max))
        let idleTimeout = integer(.idleTimeout, default: Configuration.defaultIdleTimeout, range: 0...86_400 * 365)
        let maxConnections = integer(.maxConnections, default: Configuration.defaultMaxConnections, range: 1...1_000_000)
        let maxConnectionsPerAddress = integer(
            .maxConnectionsPerAddress, default: Configuration.defaultMaxConnectionsPerAddress, range: 1...1_000_000)
        let maxOperationsPerConnection = integer(
            .maxOperationsPerConnection, default: Configuration.defaultMaxOperationsPerConnection, range: 1...100_000)
        let readThreads = integer(.readThreads, default: 0, range: 0...1_024)
        let shutdownTimeout = integer(.shutdownTimeout, default: Configuration.defaultShutdownTimeout, range: 0...3_600)

        let indexes = indexConfiguration(schema: schema)

        let expiryNotices = expiryNoticeConfiguration()
        let domainRules = domainRuleSettings(staffMailDomains: bindIdentifierMailDomains)

        guard issues.isEmpty, let schema else { return nil }
        var configuration = Configuration(
            dataDirectory: dataDirectory,
            suffix: suffix,
            rootDN: rootDN,
            rootPasswordFile: rootPasswordFile,
            listeners: listeners,
            tlsCertificate: tlsCertificate,
            tlsKey: tlsKey,
            tlsCAFile: tlsCAFile,
            tlsVerifyClients: tlsVerifyClients,
            requireTLSForPasswords: requireTLSForPasswords,
            metrics: metrics,
            logLevel: logLevel,
            accessRules: accessRules,
            auditLog: auditLog,
            auditFailure: auditFailure,
            bindIdentifier: bindIdentifier,
            bindIdentifierMailDomains: bindIdentifierMailDomains,
            auditFsync: auditFsync,
            passwordStorage: passwordStorage,
            passwordPolicyDefaultDN: passwordPolicyDefaultDN,
            passwordPolicyTrustedClients: passwordPolicyTrustedClients,
            passwordQualityMinClasses: passwordQualityMinClasses,
            passwordMailChangeQuietPeriod: passwordMailChangeQuietPeriod,
            passwordReset: passwordReset,
            schemaDirectory: schemaDirectory,
            schemaFiles: schemaFiles,
            mapSize: mapSize,
            maxMapSize: maxMapSize,
            maxPDUSize: maxPDUSize,
            maxFilterDepth: maxFilterDepth,
            sizeLimit: sizeLimit,
            timeLimit: timeLimit,
            idleTimeout: idleTimeout,
            maxConnections: maxConnections,
            maxConnectionsPerAddress: maxConnectionsPerAddress,
            maxOperationsPerConnection: maxOperationsPerConnection,
            readThreads: readThreads,
            shutdownTimeout: shutdownTimeout,
            indexes: indexes
        )
        configuration.expiryNotices = expiryNotices
        configuration.domainRules = domainRules
        return (configuration, schema)
    }

    // MARK: - Keys with several parts

    /// `password-hash` and the `password-…` keys as the directory's storing policy.
    private mutating func passwordStorageSettings() -> PasswordStorage {
        var storage = PasswordStorage()
        if let text = requiredText(.passwordHash) {
            if let scheme = PasswordScheme(name: text), scheme != .cleartext, scheme != .sha {
                storage.scheme = scheme
            } else {
                let names = PasswordScheme.allCases.filter { $0 != .cleartext && $0 != .sha }.map(\.description)
                fail(.passwordHash, "'\(text)' is not a scheme for new passwords (expected one of \(names.joined(separator: ", ")))")
            }
        }
        let defaults = Argon2Parameters.default
        storage.argon2.memoryKiB = UInt32(
            integer(.passwordArgon2Memory, default: Int(defaults.memoryKiB), range: 8...262_144))
        storage.argon2.iterations = UInt32(
            integer(.passwordArgon2Iterations, default: Int(defaults.iterations), range: 1...32))
        storage.argon2.parallelism = UInt32(
            integer(.passwordArgon2Parallelism, default: Int(defaults.parallelism), range: 1...16))
        storage.pbkdf2Rounds = integer(.passwordPBKDF2Rounds, default: 600_000, range: 1_000...5_000_000)
        storage.rehashOnBind = boolean(.passwordRehashOnBind, default: true)
        storage.acceptsPrehashedFromUsers = boolean(.passwordAcceptPrehashed, default: false)
        do {
            try storage.validate()
        } catch {
            fail(.passwordArgon2Memory, "\(error)")
        }
        return storage
    }

    /// The `password-reset-…` and `sms-…` keys (docs/password-reset.md). With service accounts, the gateway URL
    /// and token file are required.
    private mutating func passwordResetSettings() -> PasswordResetConfiguration {
        var reset = PasswordResetConfiguration()
        for text in distinguishedNameList(.passwordResetServiceAccounts) ?? [] {
            do {
                reset.serviceAccounts.append(try DistinguishedName(text))
            } catch {
                fail(.passwordResetServiceAccounts, "'\(text)' is not a distinguished name: \(error)")
            }
        }
        reset.codeLength = integer(.passwordResetCodeLength, default: 6, range: 6...8)
        reset.codeValidity = integer(.passwordResetCodeValidity, default: 600, range: 60...86_400)
        reset.codeAttempts = integer(.passwordResetCodeAttempts, default: 3, range: 1...10)
        for key in [ConfigurationKey.passwordResetRatePerIdentifier, .passwordResetRatePerAddress] {
            guard let text = requiredText(key) else { continue }
            guard let rate = PasswordResetConfiguration.RateSetting(parsing: text) else {
                fail(key, "'\(text)' is not COUNT/SECONDS (e.g. 3/3600; count 0 to 1000000, 1 s to 7 days) or off")
                continue
            }
            if key == .passwordResetRatePerIdentifier { reset.perIdentifier = rate } else { reset.perAddress = rate }
        }
        reset.gatewayURL = optionalText(.smsGatewayURL)
        if let url = reset.gatewayURL {
            let lowered = url.lowercased()
            let rest =
                lowered.hasPrefix("https://")
                ? lowered.dropFirst(8) : lowered.hasPrefix("http://") ? lowered.dropFirst(7) : nil
            if rest == nil || rest?.first == "/" || rest?.isEmpty == true || url.contains(where: { $0 == " " }) {
                fail(.smsGatewayURL, "'\(url)' is not an http:// or https:// URL with a host")
            }
        }
        reset.gatewayTokenFile = optionalText(.smsGatewayTokenFile)
        if let file = reset.gatewayTokenFile, let problem = FileProbe.problemWithReadableFile(file, nonEmpty: true) {
            fail(.smsGatewayTokenFile, problem)
        }
        reset.gatewayTimeout = integer(.smsGatewayTimeout, default: 10, range: 1...300)
        reset.gatewayRetries = integer(.smsGatewayRetries, default: 2, range: 0...10)
        if let template = requiredText(.smsTemplate) {
            if template.contains("{code}") {
                reset.template = template
            } else {
                fail(.smsTemplate, "the text must contain {code}, where the code goes")
            }
        }
        if let code = requiredText(.smsDefaultCountryCode) {
            let digits = code.hasPrefix("+") ? String(code.dropFirst()) : code
            if (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                reset.defaultCountryCode = digits
            } else {
                fail(.smsDefaultCountryCode, "'\(code)' is not a country calling code (1 to 3 digits, e.g. 33)")
            }
        }
        if reset.isEnabled, !invalidKeys.contains(.passwordResetServiceAccounts) {
            if reset.gatewayURL == nil, !invalidKeys.contains(.smsGatewayURL) {
                fail(.smsGatewayURL, "password-reset-service-accounts is set: the SMS gateway's URL is needed")
            }
            if reset.gatewayTokenFile == nil, !invalidKeys.contains(.smsGatewayTokenFile) {
                fail(.smsGatewayTokenFile, "password-reset-service-accounts is set: the gateway's token file is needed")
            }
        }
        return reset
    }

    private mutating func listenerURLs() -> [ListenerURL] {
        guard let texts = list(.listen) else {
            return Configuration.defaultListenTexts.map { try! ListenerURL(parsing: $0) }
        }
        if texts.isEmpty {
            fail(.listen, "at least one listener is needed (ldap://HOST:PORT or ldaps://HOST:PORT)")
        }
        var listeners: [ListenerURL] = []
        for text in texts {
            do {
                let listener = try ListenerURL(parsing: text)
                if let same = listeners.first(where: { $0.host == listener.host && $0.port == listener.port }) {
                    fail(.listen, "'\(listener)' uses the same address as '\(same)'")
                } else {
                    listeners.append(listener)
                }
            } catch {
                fail(.listen, error.message)
            }
        }
        return listeners
    }

    private mutating func tlsFiles() -> (certificate: String?, key: String?, caFile: String?) {
        let certificate = optionalText(.tlsCertificate)
        let key = optionalText(.tlsKey)
        switch (certificate, key) {
        case (_?, nil):
            fail(.tlsCertificate, "tls-key is not set: give both tls-certificate and tls-key, or neither")
        case (nil, _?):
            fail(.tlsKey, "tls-certificate is not set: give both tls-certificate and tls-key, or neither")
        default:
            break
        }
        if let certificate,
            let problem = FileProbe.problemWithPEMFile(certificate, labelSuffix: "CERTIFICATE", what: "certificate")
        {
            fail(.tlsCertificate, problem)
        }
        if let key, let problem = FileProbe.problemWithPEMFile(key, labelSuffix: "PRIVATE KEY", what: "private key") {
            fail(.tlsKey, problem)
        }
        let caFile = optionalText(.tlsCAFile)
        if let caFile,
            let problem = FileProbe.problemWithPEMFile(caFile, labelSuffix: "CERTIFICATE", what: "certificate")
        {
            fail(.tlsCAFile, problem)
        }
        return (certificate, key, caFile)
    }

    private mutating func loadSchema(directory: String, files: [String]) -> Schema? {
        guard !invalidKeys.contains(.schemaDirectory), !invalidKeys.contains(.schemaFiles) else { return nil }
        if let problem = FileProbe.problemWithDirectory(directory) {
            fail(.schemaDirectory, problem)
            return nil
        }
        var paths: [String] = []
        for name in files {
            let path = Configuration.schemaPath(name: name, directory: directory)
            if let problem = FileProbe.problemWithReadableFile(path) {
                fail(.schemaFiles, "schema '\(name)': \(problem)")
            }
            paths.append(path)
        }
        guard !invalidKeys.contains(.schemaFiles) else { return nil }
        do {
            return try Schema(files: paths)
        } catch {
            fail(.schemaFiles, "the schema does not load: \(error)")
            return nil
        }
    }

    private mutating func indexConfiguration(schema: Schema?) -> [IndexedAttribute] {
        var indexes = Configuration.defaultIndexes
        for setting in indexSettings {
            let attribute = setting.attribute
            guard Self.isAttributeName(attribute) else {
                fail(
                    .index,
                    "'\(attribute)' is not an attribute name (letters, digits and '-', starting with a letter) "
                        + "or a numeric OID",
                    source: setting.source)
                continue
            }
            var kinds: Set<IndexKind> = []
            var valid = true
            for name in setting.kinds {
                if let kind = IndexKind(name: name) {
                    kinds.insert(kind)
                } else {
                    let names = IndexKind.allCases.map(\.rawValue).joined(separator: ", ")
                    fail(
                        .index, "'\(attribute)': '\(name)' is not an index kind (expected \(names))",
                        source: setting.source)
                    valid = false
                }
            }
            guard valid else { continue }
            indexSources[attribute.lowercased()] = setting.source
            let position = indexes.firstIndex { $0.attribute.lowercased() == attribute.lowercased() }
            switch (position, kinds.isEmpty) {
            case (let position?, true):
                indexes.remove(at: position)
            case (let position?, false):
                indexes[position] = IndexedAttribute(attribute: attribute, kinds: kinds)
            case (nil, false):
                indexes.append(IndexedAttribute(attribute: attribute, kinds: kinds))
            case (nil, true):
                break
            }
        }
        guard let schema else { return indexes }
        var seen: [String: String] = [:]
        for indexed in indexes {
            let source = indexSources[indexed.attribute.lowercased()] ?? .default
            guard let type = schema.resolvedAttributeType(named: indexed.attribute) else {
                fail(.index, "'\(indexed.attribute)' is not an attribute type of the schema", source: source)
                continue
            }
            if let other = seen[type.oid] {
                fail(.index, "'\(indexed.attribute)' and '\(other)' name the same attribute type", source: source)
            }
            seen[type.oid] = indexed.attribute
            let rules: [(IndexKind, String?, String)] = [
                (.equality, type.equality, "EQUALITY"),
                (.substring, type.substring, "SUBSTR"),
                (.ordering, type.ordering, "ORDERING"),
            ]
            for (kind, rule, name) in rules where indexed.kinds.contains(kind) && rule == nil {
                fail(
                    .index,
                    "'\(indexed.attribute)': a '\(kind.rawValue)' index needs an \(name) matching rule, and the "
                        + "schema gives '\(type.primaryName)' none",
                    source: source)
            }
        }
        return indexes
    }

    private static func isAttributeName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII else { return false }
        if first.isLetter {
            return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        let arcs = name.split(separator: ".", omittingEmptySubsequences: false)
        return arcs.count >= 2 && arcs.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    // MARK: - Values of one key

    private func source(_ key: ConfigurationKey) -> ConfigurationSource {
        chosen[key]?.source ?? .default
    }

    mutating func fail(_ key: ConfigurationKey, _ message: String, source: ConfigurationSource? = nil) {
        invalidKeys.insert(key)
        issues.append(ConfigurationIssue(key: key.name, source: source ?? self.source(key), message: message))
    }

    /// The text of a one-string key, `nil` when unset or of the wrong type (an issue then says so).
    private mutating func text(_ key: ConfigurationKey) -> String? {
        guard let setting = chosen[key] else { return nil }
        switch setting.value {
        case .text(let text):
            return text
        case .texts(let texts):
            return texts.last
        case .file(.string(let text)):
            return text
        case .file(let other):
            fail(key, "expected a string, found \(other.kindDescription)")
            return nil
        }
    }

    /// A key that must not be empty when set.
    mutating func requiredText(_ key: ConfigurationKey) -> String? {
        guard let text = text(key) else { return nil }
        guard !text.isEmpty else {
            fail(key, "must not be empty (default: \(key.defaultDescription))")
            return nil
        }
        return text
    }

    /// A key that may be absent; an empty value unsets it (so the environment or a flag can cancel the file).
    mutating func optionalText(_ key: ConfigurationKey) -> String? {
        guard let text = text(key), !text.isEmpty else { return nil }
        return text
    }

    /// The items of a list of DNs: a file array, one DN per flag, or environment text split at `;` (DNs hold
    /// commas); `nil` when unset.
    private mutating func distinguishedNameList(_ key: ConfigurationKey) -> [String]? {
        guard let setting = chosen[key] else { return nil }
        switch setting.value {
        case .text(let text):
            return text.split(separator: ";").map { $0.trimmingASCIISpaces() }.filter { !$0.isEmpty }
        case .texts(let texts):
            return texts.filter { !$0.isEmpty }
        case .file(.string(let text)):
            return [text]
        case .file(.array(let values)):
            var items: [String] = []
            for value in values {
                guard case .string(let text) = value else {
                    fail(key, "expected an array of DNs, found \(value.kindDescription) in it")
                    return nil
                }
                items.append(text)
            }
            return items
        case .file(let other):
            fail(key, "expected an array of DNs, found \(other.kindDescription)")
            return nil
        }
    }

    /// The items of a list key: a file array, or text split at commas; `nil` when unset.
    mutating func list(_ key: ConfigurationKey) -> [String]? {
        guard let setting = chosen[key] else { return nil }
        let split: (String) -> [String] = { text in
            text.split(separator: ",").map { $0.trimmingASCIISpaces() }.filter { !$0.isEmpty }
        }
        switch setting.value {
        case .text(let text):
            return split(text)
        case .texts(let texts):
            return texts.flatMap(split)
        case .file(.string(let text)):
            return split(text)
        case .file(.array(let values)):
            var items: [String] = []
            for value in values {
                guard case .string(let text) = value else {
                    fail(key, "expected an array of strings, found \(value.kindDescription) in it")
                    return nil
                }
                items.append(text)
            }
            return items
        case .file(let other):
            fail(key, "expected an array of strings, found \(other.kindDescription)")
            return nil
        }
    }

    /// The DN of `key`, `nil` when unset or invalid (an issue then says so).
    private mutating func distinguishedName(_ key: ConfigurationKey) -> DistinguishedName? {
        guard let text = requiredText(key) else { return nil }
        do {
            return try DistinguishedName(text)
        } catch {
            fail(key, "'\(text)' is not a distinguished name: \(error)")
            return nil
        }
    }

    private mutating func size(
        _ key: ConfigurationKey, default defaultValue: Int, minimum: Int, maximum: Int = Int.max
    ) -> Int {
        guard
            let (bytes, shown) = number(
                key, expected: "a size (262144 or \"256KiB\")",
                invalid: "is not a size (expected bytes, or a number with KiB, MiB, GiB or TiB)",
                parse: ByteSize.parse)
        else { return defaultValue }
        guard bytes >= minimum else {
            fail(key, "\(shown) is too small: at least \(ByteSize.format(minimum))")
            return defaultValue
        }
        guard bytes <= maximum else {
            fail(key, "\(shown) is too large: at most \(ByteSize.format(maximum))")
            return defaultValue
        }
        return bytes
    }

    mutating func integer(_ key: ConfigurationKey, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        guard
            let (value, _) = number(
                key, expected: "an integer", invalid: "is not an integer",
                parse: { Int($0.trimmingASCIISpaces()) })
        else { return defaultValue }
        guard range.contains(value) else {
            fail(key, "\(value) is out of range: expected \(range.lowerBound) to \(range.upperBound)")
            return defaultValue
        }
        return value
    }

    /// The chosen value of a boolean key: `true`/`false` in the file; also `yes`/`no`, `on`/`off`, `1`/`0` as
    /// text from the environment or a flag.
    mutating func boolean(_ key: ConfigurationKey, default defaultValue: Bool) -> Bool {
        guard let setting = chosen[key] else { return defaultValue }
        let text: String
        switch setting.value {
        case .file(.boolean(let value)): return value
        case .file(.string(let value)), .text(let value): text = value
        case .texts(let texts): text = texts.last ?? ""
        case .file(let other):
            fail(key, "expected true or false, found \(other.kindDescription)")
            return defaultValue
        }
        switch text.trimmingASCIISpaces().lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            fail(key, "'\(text)' is not a boolean (expected true or false)")
            return defaultValue
        }
    }

    /// The chosen value of a numeric key and its text as given, or nil (after recording the fault) when it is
    /// absent, of the wrong type, or not parsed by `parse`. Range checks are the caller's.
    private mutating func number(
        _ key: ConfigurationKey, expected: String, invalid: String, parse: (String) -> Int?
    ) -> (value: Int, shown: String)? {
        guard let setting = chosen[key] else { return nil }
        let value: Int?
        let shown: String
        switch setting.value {
        case .file(.integer(let number)):
            value = number
            shown = "\(number)"
        case .file(.string(let text)), .text(let text):
            value = parse(text)
            shown = text
        case .texts(let texts):
            value = texts.last.flatMap(parse)
            shown = texts.last ?? ""
        case .file(let other):
            fail(key, "expected \(expected), found \(other.kindDescription)")
            return nil
        }
        guard let value else {
            fail(key, "'\(shown)' \(invalid)")
            return nil
        }
        return (value, shown)
    }
}

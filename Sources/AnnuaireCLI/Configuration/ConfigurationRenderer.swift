import Directory
import DomainRules
import LDAPProtocol
import MailDelivery
import PasswordHashing

/// Writes an effective configuration in the configuration file's own format, each line followed by where its
/// value came from, secrets masked: what `annuaire config check` prints. The output is itself a valid
/// configuration file (comments aside, it gives the same configuration, masked secrets excepted).
enum ConfigurationRenderer {
    /// The text for `loaded`.
    static func render(_ loaded: LoadedConfiguration) -> String {
        let configuration = loaded.configuration
        var lines: [(text: String, source: String?)] = []

        func add(_ key: ConfigurationKey, _ value: String?) {
            let source = loaded.source(of: key)
            var sourceText = source.description
            if key == .rootDN, source == .default {
                sourceText = "default: cn=admin,<suffix>"
            }
            if let value {
                lines.append(("\(key.name) = \(key.isSecret ? quoted("***") : value)", sourceText))
            } else {
                lines.append(("# \(key.name) is not set", sourceText))
            }
        }

        add(.dataDirectory, quoted(configuration.dataDirectory))
        add(.suffix, quoted(configuration.suffix.description))
        add(.rootDN, quoted(configuration.rootDN.description))
        add(.rootPasswordFile, configuration.rootPasswordFile.map(quoted))
        add(.listen, array(configuration.listeners.map(\.description)))
        add(.tlsCertificate, configuration.tlsCertificate.map(quoted))
        add(.tlsKey, configuration.tlsKey.map(quoted))
        add(.tlsCAFile, configuration.tlsCAFile.map(quoted))
        add(.tlsVerifyClients, quoted(configuration.tlsVerifyClients.rawValue))
        add(.requireTLSForPasswords, "\(configuration.requireTLSForPasswords)")
        add(.metrics, configuration.metrics.map { quoted($0.maskedDescription) })
        add(.logLevel, quoted(configuration.logLevel.rawValue))
        add(.accessRules, quoted(configuration.accessRules))
        add(.auditLog, quoted(configuration.auditLog))
        add(.auditFailure, quoted(configuration.auditFailure.rawValue))
        add(.auditFsync, "\(configuration.auditFsync)")
        add(.bindIdentifier, array(configuration.bindIdentifier.map(\.rawValue)))
        add(.bindIdentifierMailDomains, array(configuration.bindIdentifierMailDomains))
        let storage = configuration.passwordStorage
        add(.passwordHash, quoted(storage.scheme.description))
        add(.passwordArgon2Memory, "\(storage.argon2.memoryKiB)")
        add(.passwordArgon2Iterations, "\(storage.argon2.iterations)")
        add(.passwordArgon2Parallelism, "\(storage.argon2.parallelism)")
        add(.passwordPBKDF2Rounds, "\(storage.pbkdf2Rounds)")
        add(.passwordRehashOnBind, "\(storage.rehashOnBind)")
        add(.passwordAcceptPrehashed, "\(storage.acceptsPrehashedFromUsers)")
        add(.passwordPolicyDefaultDN, configuration.passwordPolicyDefaultDN.map { quoted($0.description) })
        add(.passwordPolicyTrustedClients, array(configuration.passwordPolicyTrustedClients.map(\.description)))
        add(.passwordQualityMinClasses, "\(configuration.passwordQualityMinClasses)")
        add(.passwordMailChangeQuietPeriod, "\(configuration.passwordMailChangeQuietPeriod)")
        add(.domainRules, "\(configuration.domainRules.enabled)")
        add(.domainRulesGenericMailLocalParts, array(configuration.domainRules.genericMail.localParts.sorted()))
        add(.domainRulesGenericMailPatterns, array(configuration.domainRules.genericMail.patterns.map(\.text)))
        let reset = configuration.passwordReset
        add(.passwordResetServiceAccounts, array(reset.serviceAccounts.map(\.description)))
        add(.passwordResetCodeLength, "\(reset.codeLength)")
        add(.passwordResetCodeValidity, "\(reset.codeValidity)")
        add(.passwordResetCodeAttempts, "\(reset.codeAttempts)")
        add(.passwordResetRatePerIdentifier, quoted(reset.perIdentifier.description))
        add(.passwordResetRatePerAddress, quoted(reset.perAddress.description))
        add(.smsGatewayURL, reset.gatewayURL.map(quoted))
        add(.smsGatewayTokenFile, reset.gatewayTokenFile.map(quoted))
        add(.smsGatewayTimeout, "\(reset.gatewayTimeout)")
        add(.smsGatewayRetries, "\(reset.gatewayRetries)")
        add(.smsTemplate, quoted(reset.template))
        add(.smsDefaultCountryCode, quoted(reset.defaultCountryCode))
        add(.schemaDirectory, quoted(configuration.schemaDirectory))
        add(.schemaFiles, array(configuration.schemaFiles))
        add(.mapSize, quoted(ByteSize.format(configuration.mapSize)))
        add(.maxMapSize, quoted(ByteSize.format(configuration.maxMapSize)))
        add(.maxPDUSize, quoted(ByteSize.format(configuration.maxPDUSize)))
        add(.maxFilterDepth, "\(configuration.maxFilterDepth)")
        add(.sizeLimit, "\(configuration.sizeLimit)")
        add(.timeLimit, "\(configuration.timeLimit)")
        add(.idleTimeout, "\(configuration.idleTimeout)")
        add(.maxConnections, "\(configuration.maxConnections)")
        add(.maxConnectionsPerAddress, "\(configuration.maxConnectionsPerAddress)")
        add(.maxOperationsPerConnection, "\(configuration.maxOperationsPerConnection)")
        add(.readThreads, "\(configuration.readThreads)")
        add(.shutdownTimeout, "\(configuration.shutdownTimeout)")
        let notices = configuration.expiryNotices
        add(.smtpHost, notices.smtpHost.map(quoted))
        add(.smtpPort, "\(notices.smtpPort)")
        add(.smtpSecurity, quoted(notices.smtpSecurity.rawValue))
        add(.smtpCAFile, notices.smtpCAFile.map(quoted))
        add(.smtpUsername, notices.smtpUsername.map(quoted))
        add(.smtpPasswordFile, notices.smtpPasswordFile.map(quoted))
        add(.smtpHeloName, quoted(notices.smtpHeloName))
        add(.smtpTimeout, "\(notices.smtpTimeout)")
        add(.mailFrom, quoted(notices.mailFrom))
        add(.mailFromName, notices.mailFromName.map(quoted))
        add(.expiryNoticeThresholds, array(notices.thresholdDays.map(String.init)))
        add(.expiryNoticeSubjectFile, notices.subjectFile.map(quoted))
        add(.expiryNoticeBodyFile, notices.bodyFile.map(quoted))
        add(.expiryNoticeTimeZone, quoted(notices.timeZone))
        add(.expiryNoticeDailyAt, notices.dailyAt.map { quoted($0.description) })
        lines.append(("", nil))
        lines.append(("[index]", nil))
        for indexed in configuration.indexes {
            let kinds = array(indexed.sortedKinds.map(\.rawValue))
            let source = loaded.indexSource(of: indexed.attribute).description
            lines.append(("\(bareOrQuotedKey(indexed.attribute)) = \(kinds)", source))
        }
        let effective = Set(configuration.indexes.map { $0.attribute.lowercased() })
        for removed in Configuration.defaultIndexes where !effective.contains(removed.attribute.lowercased()) {
            let source = loaded.indexSource(of: removed.attribute).description
            lines.append(("\(bareOrQuotedKey(removed.attribute)) = []", source))
        }

        let width = min(lines.map(\.text.count).max() ?? 0, 64)
        var output = "# annuaire: the effective configuration, each value followed by where it came from.\n"
        output += "# configuration file: \(loaded.configFile ?? "none")\n\n"
        for (text, source) in lines {
            if let source {
                let padding = String(repeating: " ", count: max(width - text.count, 0))
                output += "\(text)\(padding)  # \(source)\n"
            } else {
                output += text + "\n"
            }
        }
        return output
    }

    /// A TOML basic string.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func array(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }

    private static func bareOrQuotedKey(_ key: String) -> String {
        let isBare =
            !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return isBare ? key : quoted(key)
    }
}

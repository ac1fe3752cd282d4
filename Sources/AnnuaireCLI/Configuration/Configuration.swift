import Directory
import DomainRules
import LDAPProtocol
import Storage

/// Every setting of the server, checked: what `serve`, `import`, `export`, `backup` and `verify` run with.
///
/// Built by ``ConfigurationLoader`` from the defaults, the configuration file, the environment and the flags;
/// ``ConfigurationKey`` documents each setting.
struct Configuration: Hashable, Sendable {
    /// `data-dir`: where the database and generated files live.
    var dataDirectory: String
    /// `suffix`: the naming context.
    var suffix: DistinguishedName
    /// `root-dn`: the directory manager.
    var rootDN: DistinguishedName
    /// `root-password-file`: the directory manager's password or `{SCHEME}` hash, in a file.
    var rootPasswordFile: String?
    /// `listen`: the listeners, in order.
    var listeners: [ListenerURL]
    /// `tls-certificate`: PEM certificate chain; with `tlsKey`, or neither.
    var tlsCertificate: String?
    /// `tls-key`: PEM private key.
    var tlsKey: String?
    /// `tls-ca-file`: PEM certificates trusted for client certificates.
    var tlsCAFile: String?
    /// `tls-verify-clients`: whether client certificates are asked for and checked against `tlsCAFile`.
    var tlsVerifyClients: ClientCertificateMode
    /// `require-tls-for-passwords`: simple binds with a password need TLS unless the peer is on loopback.
    var requireTLSForPasswords: Bool
    /// `metrics`: the Prometheus endpoint, off when `nil`.
    var metrics: MetricsURL?
    /// `log-level`.
    var logLevel: LogLevel
    /// `access-rules`: the rule file.
    var accessRules: String
    /// `audit-log`: a file path, or `stderr`.
    var auditLog: String
    /// `audit-failure`.
    var auditFailure: AuditLog.FailureMode
    /// `bind-identifier`: the lookups of a bare identifier, in order; empty: off.
    var bindIdentifier: [BindIdentifierLookup]
    /// `bind-identifier-mail-domains`: where `mail-local-part` looks; empty: any domain.
    var bindIdentifierMailDomains: [String]
    /// `audit-fsync`.
    var auditFsync: Bool
    /// `password-hash` and the `password-…` costs and switches, checked.
    var passwordStorage: PasswordStorage
    /// `password-policy-default-dn`.
    var passwordPolicyDefaultDN: DistinguishedName?
    /// `password-policy-trusted-clients`.
    var passwordPolicyTrustedClients: [DistinguishedName]
    /// `password-quality-min-classes`.
    var passwordQualityMinClasses: Int
    /// `password-mail-change-quiet-period`: seconds.
    var passwordMailChangeQuietPeriod: Int
    /// `domain-rules…`: the partner directory's rules (docs/domain-rules.md).
    var domainRules = DomainRuleSettings()
    /// `password-reset-…` and `sms-…`: the self-service reset by SMS code.
    var passwordReset: PasswordResetConfiguration
    /// `schema-directory`.
    var schemaDirectory: String
    /// `schema-files`: names of files in `schemaDirectory`, loaded in order.
    var schemaFiles: [String]
    /// `map-size`: initial LMDB map size in bytes.
    var mapSize: Int
    /// `max-map-size`: the largest the LMDB map may grow to, in bytes.
    var maxMapSize: Int
    /// `max-pdu-size`: the largest LDAP message accepted, in bytes.
    var maxPDUSize: Int
    /// `max-filter-depth`: the deepest filter nesting accepted.
    var maxFilterDepth: Int
    /// `size-limit`: entries per search, 0 for none.
    var sizeLimit: Int
    /// `time-limit`: seconds per search, 0 for none.
    var timeLimit: Int
    /// `idle-timeout`: seconds, 0 for none.
    var idleTimeout: Int
    /// `max-connections`.
    var maxConnections: Int
    /// `max-connections-per-address`.
    var maxConnectionsPerAddress: Int
    /// `max-operations-per-connection`.
    var maxOperationsPerConnection: Int
    /// `read-threads`: 0 for one per core.
    var readThreads: Int
    /// `shutdown-timeout`: seconds.
    var shutdownTimeout: Int
    /// `index`: the attribute indexes, defaults first then added attributes, in order.
    var indexes: [IndexedAttribute]
    /// The `smtp-…`, `mail-…` and `expiry-notice-…` keys (docs/expiry-notices.md).
    var expiryNotices = ExpiryNoticeConfiguration()

    /// The paths of the schema files, in load order: each name in `schemaDirectory`, `.schema` added when
    /// missing; an absolute path is taken as it is.
    var schemaPaths: [String] {
        schemaFiles.map { Self.schemaPath(name: $0, directory: schemaDirectory) }
    }

    static func schemaPath(name: String, directory: String) -> String {
        let file = name.hasSuffix(".schema") ? name : name + ".schema"
        if file.hasPrefix("/") { return file }
        return directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}

extension Configuration {
    /// `data-dir` by default.
    static let defaultDataDirectory = "./data"
    /// `suffix` by default.
    static let defaultSuffixText = "dc=dgfip,dc=finances,dc=gouv,dc=fr"
    /// `listen` by default.
    static let defaultListenTexts = ["ldap://127.0.0.1:1389", "ldaps://127.0.0.1:1636"]
    /// `log-level` by default.
    static let defaultLogLevel = LogLevel.info
    /// `schema-directory` by default (relative to the working directory).
    static let defaultSchemaDirectory = "schema"
    /// `schema-files` by default: the files the server ships, in load order.
    static let defaultSchemaFiles = ["system", "core", "cosine", "inetorgperson", "ppolicy", "aspasie"]
    /// `map-size` by default: 1 GiB of address space.
    static let defaultMapSize = 1 << 30
    /// `max-map-size` by default: 256 GiB of address space.
    static let defaultMaxMapSize = 256 << 30
    /// `max-pdu-size` by default: 256 KiB.
    static let defaultMaxPDUSize = 256 << 10
    /// `max-filter-depth` by default.
    static let defaultMaxFilterDepth = 64

    /// `access-rules` by default: the shipped policy (relative to the working directory, like `schema`).
    static let defaultAccessRules = "config/access.rules"
    /// `audit-log` by default: standard error, so a trail exists even when nothing is configured.
    static let defaultAuditLog = "stderr"
    /// `audit-failure` by default.
    static let defaultAuditFailure = AuditLog.FailureMode.fail
    /// `bind-identifier` by default (domain.md D1).
    static let defaultBindIdentifier: [BindIdentifierLookup] = [.uid, .mailLocalPart]
    /// `bind-identifier-mail-domains` by default: the DGFiP agents' domain (domain.md D1).
    static let defaultBindIdentifierMailDomains = ["dgfip.finances.gouv.fr"]
    /// `tls-verify-clients` by default.
    static let defaultTLSVerifyClients = ClientCertificateMode.none
    /// `size-limit` by default (slapd's default too).
    static let defaultSizeLimit = 500
    /// `time-limit` by default (slapd's default too).
    static let defaultTimeLimit = 3600
    /// `idle-timeout` by default: none, as slapd.
    static let defaultIdleTimeout = 0
    /// `max-connections` by default.
    static let defaultMaxConnections = 4096
    /// `max-connections-per-address` by default.
    static let defaultMaxConnectionsPerAddress = 512
    /// `max-operations-per-connection` by default.
    static let defaultMaxOperationsPerConnection = 64
    /// `shutdown-timeout` by default.
    static let defaultShutdownTimeout = 10

    /// `index` by default: the storage module's partner-directory defaults (one list for both): `objectClass`
    /// first, then by name.
    static let defaultIndexes: [IndexedAttribute] = IndexConfiguration.partnerDirectory.indexes
        .sorted { ($0.key == "objectClass" ? "" : $0.key.lowercased()) < ($1.key == "objectClass" ? "" : $1.key.lowercased()) }
        .map { IndexedAttribute(attribute: $0.key, kinds: IndexKind.kinds(of: $0.value)) }

    /// The default root DN for a suffix: `cn=admin,<suffix>`.
    static func defaultRootDN(suffix: DistinguishedName) -> DistinguishedName {
        DistinguishedName(rdns: [RelativeDistinguishedName(type: "cn", value: "admin")]).appending(suffix)
    }
}

import ArgumentParser
import LDAPProtocol
import Testing

@testable import AnnuaireCLI

@Suite("Sources and precedence: default < file < environment < flags")
struct PrecedenceTests {
    @Test("nothing set: every built-in default, every source 'default'")
    func defaults() throws {
        let loaded = try TestSupport.load()
        let configuration = loaded.configuration
        #expect(configuration.dataDirectory == "./data")
        #expect(configuration.suffix == (try DistinguishedName("dc=dgfip,dc=finances,dc=gouv,dc=fr")))
        #expect(configuration.rootDN == (try DistinguishedName("cn=admin,dc=dgfip,dc=finances,dc=gouv,dc=fr")))
        #expect(configuration.listeners.map(\.description) == ["ldap://127.0.0.1:1389", "ldaps://127.0.0.1:1636"])
        #expect(configuration.rootPasswordFile == nil && configuration.tlsCertificate == nil)
        #expect(configuration.metrics == nil)
        #expect(configuration.logLevel == .info)
        #expect(configuration.schemaFiles == ["system", "core", "cosine", "inetorgperson", "ppolicy", "aspasie"])
        #expect(configuration.mapSize == 1 << 30)
        #expect(configuration.maxMapSize == 256 << 30)
        #expect(configuration.maxPDUSize == 262_144)
        #expect(configuration.maxFilterDepth == 64)
        #expect(configuration.indexes == Configuration.defaultIndexes)
        #expect(loaded.source(of: .dataDirectory) == .default)
        #expect(loaded.source(of: .schemaDirectory) == .environment(variable: "ANNUAIRE_SCHEMA_DIRECTORY"))
    }

    @Test("the file beats the default, the environment beats the file, a flag beats the environment")
    func layeredDataDirectory() throws {
        let file = "data-dir = \"/tmp/from-file\"\nlog-level = \"debug\"\nmax-filter-depth = 10\n"
        let fileOnly = try TestSupport.load(file: file)
        #expect(fileOnly.configuration.dataDirectory == "/tmp/from-file")
        guard case .file(_, let line) = fileOnly.source(of: .dataDirectory) else {
            Issue.record("source is \(fileOnly.source(of: .dataDirectory)), not the file")
            return
        }
        #expect(line == 1)

        let environment = ["ANNUAIRE_DATA_DIR": "/tmp/from-env", "ANNUAIRE_LOG_LEVEL": "warning"]
        let withEnvironment = try TestSupport.load(file: file, environment: environment)
        #expect(withEnvironment.configuration.dataDirectory == "/tmp/from-env")
        #expect(withEnvironment.configuration.logLevel == .warning)
        #expect(withEnvironment.configuration.maxFilterDepth == 10)
        #expect(withEnvironment.source(of: .dataDirectory) == .environment(variable: "ANNUAIRE_DATA_DIR"))

        let withFlag = try TestSupport.load(
            file: file, environment: environment, flags: ["--data-dir", "/tmp/from-flag"])
        #expect(withFlag.configuration.dataDirectory == "/tmp/from-flag")
        #expect(withFlag.configuration.logLevel == .warning)
        #expect(withFlag.configuration.maxFilterDepth == 10)
        #expect(withFlag.source(of: .dataDirectory) == .flag("--data-dir"))
        #expect(withFlag.source(of: .logLevel) == .environment(variable: "ANNUAIRE_LOG_LEVEL"))
    }

    @Test("--listen replaces the listeners, is repeatable and takes commas; the environment splits at commas")
    func listenLists() throws {
        let file = "listen = [\"ldap://127.0.0.1:2389\"]\n"
        let fromEnvironment = try TestSupport.load(
            file: file, environment: ["ANNUAIRE_LISTEN": "ldap://127.0.0.1:3389, ldaps://127.0.0.1:3636"])
        #expect(
            fromEnvironment.configuration.listeners.map(\.description) == [
                "ldap://127.0.0.1:3389", "ldaps://127.0.0.1:3636",
            ])
        let fromFlags = try TestSupport.load(
            file: file,
            environment: ["ANNUAIRE_LISTEN": "ldap://127.0.0.1:3389"],
            flags: ["--listen", "ldap://[::1]:4389", "--listen", "ldaps://localhost:4636,ldap://0.0.0.0:5389"])
        #expect(
            fromFlags.configuration.listeners.map(\.description) == [
                "ldap://[::1]:4389", "ldaps://localhost:4636", "ldap://0.0.0.0:5389",
            ])
        #expect(fromFlags.source(of: .listen) == .flag("--listen"))
    }

    @Test("the root DN follows the effective suffix unless set")
    func rootDNFollowsSuffix() throws {
        let loaded = try TestSupport.load(
            file: "suffix = \"dc=example,dc=org\"\n", flags: ["--suffix", "o=Flag Corp"])
        #expect(loaded.configuration.suffix == (try DistinguishedName("o=Flag Corp")))
        #expect(loaded.configuration.rootDN == (try DistinguishedName("cn=admin,o=Flag Corp")))
        #expect(loaded.source(of: .rootDN) == .default)
        let explicit = try TestSupport.load(environment: [
            "ANNUAIRE_ROOT_DN": "uid=manager,dc=dgfip,dc=finances,dc=gouv,dc=fr"
        ])
        #expect(explicit.configuration.rootDN.description == "uid=manager,dc=dgfip,dc=finances,dc=gouv,dc=fr")
    }

    @Test("index lines override the default per attribute, with the same precedence, and [] removes one")
    func indexPrecedence() throws {
        let file = """
            [index]
            uid = ["eq"]
            mail = []
            telephoneNumber = ["eq", "sub"]
            cn = ["pres"]
            """
        let loaded = try TestSupport.load(
            file: file,
            environment: ["ANNUAIRE_INDEX": "cn=eq,sub;description=sub"],
            flags: ["--index", "description=eq", "--index", "objectclass=eq,pres"])
        let byName = Dictionary(uniqueKeysWithValues: loaded.configuration.indexes.map { ($0.attribute, $0.kinds) })
        #expect(byName["uid"] == [.equality])
        #expect(byName["mail"] == nil)
        #expect(byName["telephoneNumber"] == [.equality, .substring])
        #expect(byName["cn"] == [.equality, .substring])
        #expect(byName["description"] == [.equality])
        #expect(byName["objectclass"] == [.equality, .presence])
        #expect(byName["sn"] == [.equality, .substring])
        #expect(loaded.indexSource(of: "cn") == .environment(variable: "ANNUAIRE_INDEX"))
        #expect(loaded.indexSource(of: "description") == .flag("--index"))
        #expect(loaded.indexSource(of: "objectClass") == .flag("--index"))
        #expect(loaded.indexSource(of: "sn") == .default)
        // The overridden attribute keeps its place; added ones come last.
        #expect(loaded.configuration.indexes.first?.attribute == "objectclass")
        #expect(loaded.configuration.indexes.suffix(2).map(\.attribute) == ["telephoneNumber", "description"])
    }

    @Test("an empty value in the environment or a flag unsets an optional key of the file")
    func emptyUnsets() throws {
        let loaded = try TestSupport.load(
            file: "metrics = \"http://127.0.0.1:9389\"\n", environment: ["ANNUAIRE_METRICS": ""])
        #expect(loaded.configuration.metrics == nil)
        #expect(loaded.source(of: .metrics) == .environment(variable: "ANNUAIRE_METRICS"))
    }

    @Test("sizes take bytes or binary units, in the file and as text")
    func sizes() throws {
        let loaded = try TestSupport.load(
            file: "map-size = 2_097_152\nmax-map-size = \"4 GiB\"\n", flags: ["--max-pdu-size", "1m"])
        #expect(loaded.configuration.mapSize == 2 << 20)
        #expect(loaded.configuration.maxMapSize == 4 << 30)
        #expect(loaded.configuration.maxPDUSize == 1 << 20)
    }

    @Test("server limits and booleans come from the file, the environment and flags")
    func serverSettings() throws {
        let defaults = try TestSupport.load(file: "")
        #expect(defaults.configuration.requireTLSForPasswords)
        #expect(defaults.configuration.sizeLimit == 500 && defaults.configuration.timeLimit == 3600)
        #expect(defaults.configuration.tlsVerifyClients == .none)
        let loaded = try TestSupport.load(
            file: "require-tls-for-passwords = false\nsize-limit = 10\nidle-timeout = 30\n",
            environment: ["ANNUAIRE_SIZE_LIMIT": "20", "ANNUAIRE_READ_THREADS": "3"],
            flags: ["--size-limit", "30", "--max-operations-per-connection", "5"])
        #expect(!loaded.configuration.requireTLSForPasswords)
        #expect(loaded.configuration.sizeLimit == 30)
        #expect(loaded.configuration.idleTimeout == 30)
        #expect(loaded.configuration.readThreads == 3)
        #expect(loaded.configuration.maxOperationsPerConnection == 5)
        let fromFlag = try TestSupport.load(file: "", flags: ["--require-tls-for-passwords", "no"])
        #expect(!fromFlag.configuration.requireTLSForPasswords)
    }

    @Test("an unknown ANNUAIRE_ variable is a warning with a suggestion, not an error")
    func unknownEnvironmentVariable() throws {
        let loaded = try TestSupport.load(environment: ["ANNUAIRE_DATADIR": "/x", "HOME": "/root"])
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.description.contains("did you mean ANNUAIRE_DATA_DIR?") == true)
        #expect(loaded.configuration.dataDirectory == "./data")
    }

    @Test("every key has an environment variable and a flag of the documented form")
    func namesOfEveryKey() throws {
        #expect(ConfigurationKey.dataDirectory.environmentVariable == "ANNUAIRE_DATA_DIR")
        #expect(ConfigurationKey.maxPDUSize.environmentVariable == "ANNUAIRE_MAX_PDU_SIZE")
        #expect(ConfigurationKey.tlsCAFile.flag == "--tls-ca-file")
        let help = ConfigurationOptions.helpMessage()
        for key in ConfigurationKey.allCases {
            #expect(help.contains(key.flag), "--help lacks \(key.flag)")
            #expect(ConfigurationKey(environmentVariable: key.environmentVariable) == key)
        }
    }
}

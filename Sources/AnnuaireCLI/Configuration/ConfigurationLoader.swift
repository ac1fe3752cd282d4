/// Builds the effective configuration from its four sources, in rising precedence: the built-in defaults, the
/// configuration file, the environment (`ANNUAIRE_…`), the command-line flags.
///
/// Nothing is read from the process here: the environment and the flags are given, so tests inject them.
struct ConfigurationLoader: Sendable {
    /// The environment variable naming the configuration file when `--config` is absent.
    static let configFileVariable = "ANNUAIRE_CONFIG"
    /// The environment variable holding index assignments (`uid=eq,sub;mail=eq`).
    static let indexVariable = ConfigurationKey.index.environmentVariable

    /// `--config`, if given.
    var configPath: String?
    /// The settings given as flags.
    var flagSettings: [RawSetting]
    /// The `--index` flags.
    var flagIndexSettings: [RawIndexSetting]
    /// Problems already found in the flags (a malformed `--index`).
    var flagIssues: [ConfigurationIssue]
    /// The environment variables.
    var environment: [String: String]

    /// A loader of these flags and this environment.
    init(
        configPath: String? = nil,
        flagSettings: [RawSetting] = [],
        flagIndexSettings: [RawIndexSetting] = [],
        flagIssues: [ConfigurationIssue] = [],
        environment: [String: String] = [:]
    ) {
        self.configPath = configPath
        self.flagSettings = flagSettings
        self.flagIndexSettings = flagIndexSettings
        self.flagIssues = flagIssues
        self.environment = environment
    }

    /// Reads the file, merges the sources and checks every value.
    ///
    /// - Throws: ``ConfigurationError`` with every problem found.
    func load() throws(ConfigurationError) -> LoadedConfiguration {
        var issues = flagIssues
        var warnings: [ConfigurationIssue] = []
        var settings: [RawSetting] = []
        var indexSettings: [RawIndexSetting] = []

        var configFile: String?
        if let configPath {
            configFile = configPath
            readFile(configPath, source: .flag("--config"), into: &settings, &indexSettings, issues: &issues)
        } else if let path = environment[Self.configFileVariable], !path.isEmpty {
            configFile = path
            readFile(
                path, source: .environment(variable: Self.configFileVariable),
                into: &settings, &indexSettings, issues: &issues)
        }

        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("ANNUAIRE_") {
            let source = ConfigurationSource.environment(variable: name)
            if name == Self.configFileVariable {
                continue
            } else if name == Self.indexVariable {
                do {
                    indexSettings += try RawIndexSetting.parse(list: value, source: source)
                } catch {
                    issues.append(error)
                }
            } else if let key = ConfigurationKey(environmentVariable: name) {
                settings.append(RawSetting(key: key, value: .text(value), source: source))
            } else {
                var message = "unknown variable, ignored"
                if let suggestion = ConfigurationKey.suggestion(for: String(name.dropFirst("ANNUAIRE_".count))) {
                    message += " (did you mean \(suggestion.environmentVariable)?)"
                }
                warnings.append(ConfigurationIssue(key: nil, source: source, message: message))
            }
        }

        settings += flagSettings
        indexSettings += flagIndexSettings

        var validator = ConfigurationValidator(settings: settings, indexSettings: indexSettings)
        let result = validator.validate()
        issues += validator.issues
        guard issues.isEmpty, let (configuration, schema) = result else {
            throw ConfigurationError(issues: issues)
        }
        return LoadedConfiguration(
            configuration: configuration,
            sources: validator.chosenSources,
            indexSources: validator.indexSources,
            configFile: configFile,
            warnings: warnings,
            schema: schema
        )
    }

    private func readFile(
        _ path: String,
        source: ConfigurationSource,
        into settings: inout [RawSetting],
        _ indexSettings: inout [RawIndexSetting],
        issues: inout [ConfigurationIssue]
    ) {
        let file: ConfigFile
        do {
            file = try ConfigFile.read(path: path, source: source)
        } catch {
            issues.append(error)
            return
        }
        var reportedTables: Set<String> = []
        for entry in file.entries {
            let source = ConfigurationSource.file(path: path, line: entry.line)
            switch entry.table {
            case nil:
                if let key = ConfigurationKey(fileKey: entry.key) {
                    settings.append(RawSetting(key: key, value: .file(entry.value), source: source))
                } else {
                    var message = "unknown key '\(entry.key)'"
                    if let suggestion = ConfigurationKey.suggestion(for: entry.key) {
                        message += " (did you mean '\(suggestion.name)'?)"
                    }
                    issues.append(ConfigurationIssue(key: nil, source: source, message: message))
                }
            case ConfigurationKey.index.name?:
                if let key = ConfigurationKey(fileKey: entry.key), key != .index {
                    issues.append(
                        ConfigurationIssue(
                            key: ConfigurationKey.index.name, source: source,
                            message: "'\(entry.key)' is a top-level key, but every key after [index] belongs to "
                                + "the index table: move it above [index]"))
                    continue
                }
                switch entry.value {
                case .array(let values):
                    var kinds: [String] = []
                    for value in values {
                        guard case .string(let kind) = value else {
                            issues.append(
                                ConfigurationIssue(
                                    key: ConfigurationKey.index.name, source: source,
                                    message: "'\(entry.key)': expected an array of strings (\"eq\", \"sub\"…), "
                                        + "found \(value.kindDescription) in it"))
                            continue
                        }
                        kinds.append(kind)
                    }
                    indexSettings.append(RawIndexSetting(attribute: entry.key, kinds: kinds, source: source))
                case .string(let text):
                    let kinds = text.split(separator: ",").map { $0.trimmingASCIISpaces() }.filter { !$0.isEmpty }
                    indexSettings.append(RawIndexSetting(attribute: entry.key, kinds: kinds, source: source))
                case .integer, .boolean:
                    issues.append(
                        ConfigurationIssue(
                            key: ConfigurationKey.index.name, source: source,
                            message: "'\(entry.key)': expected an array of index kinds (\"eq\", \"sub\"…), "
                                + "found \(entry.value.kindDescription)"))
                }
            case let table?:
                guard reportedTables.insert(table).inserted else { continue }
                issues.append(
                    ConfigurationIssue(
                        key: nil, source: source,
                        message: "unknown table [\(table)] (the only table is [index])"))
            }
        }
    }
}

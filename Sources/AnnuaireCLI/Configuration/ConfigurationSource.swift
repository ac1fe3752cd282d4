/// Where a setting's value came from: what an error message or `config check` names.
enum ConfigurationSource: Hashable, Sendable, CustomStringConvertible {
    /// The built-in default.
    case `default`
    /// A line of a configuration file.
    case file(path: String, line: Int)
    /// An environment variable (`ANNUAIRE_…`).
    case environment(variable: String)
    /// A command-line flag (`--…`).
    case flag(String)

    /// `default`, `FILE:LINE`, `environment variable NAME`, `flag --NAME`.
    var description: String {
        switch self {
        case .default: "default"
        case .file(let path, let line): "\(path):\(line)"
        case .environment(let variable): "environment variable \(variable)"
        case .flag(let flag): "flag \(flag)"
        }
    }

    /// How strongly the source binds: flags win over the environment, which wins over the file, which wins over
    /// the defaults.
    var precedence: Int {
        switch self {
        case .default: 0
        case .file: 1
        case .environment: 2
        case .flag: 3
        }
    }
}

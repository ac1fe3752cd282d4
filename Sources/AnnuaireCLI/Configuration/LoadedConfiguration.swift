import Schema

/// A checked configuration, with where each value came from and the schema it names, loaded.
struct LoadedConfiguration: Sendable {
    /// The settings.
    var configuration: Configuration
    /// Where each key's value came from (``ConfigurationSource/default`` when nothing set it).
    var sources: [ConfigurationKey: ConfigurationSource]
    /// Where each index line came from, by lower-cased attribute.
    var indexSources: [String: ConfigurationSource]
    /// The configuration file read, if any.
    var configFile: String?
    /// Things that are not errors but deserve a word (an unknown `ANNUAIRE_` variable).
    var warnings: [ConfigurationIssue]
    /// The schema of `schema-directory` and `schema-files`, loaded and checked.
    var schema: Schema

    /// Where `key`'s value came from.
    func source(of key: ConfigurationKey) -> ConfigurationSource {
        sources[key] ?? .default
    }

    /// Where the index line of `attribute` came from.
    func indexSource(of attribute: String) -> ConfigurationSource {
        indexSources[attribute.lowercased()] ?? .default
    }
}

/// One `key = value` line of a configuration file.
struct ConfigFileEntry: Hashable, Sendable {
    /// The `[table]` the key is in, `nil` at the top level.
    var table: String?
    /// The key, unquoted.
    var key: String
    /// The value.
    var value: ConfigFileValue
    /// The 1-based line of the key.
    var line: Int
}

/// One thing wrong with the configuration: the key, where the bad value came from, and what is wrong with it.
struct ConfigurationIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// The key, or `nil` for a problem that is not about one key (a file that cannot be read, a syntax error).
    var key: String?
    /// Where the value came from.
    var source: ConfigurationSource
    /// What is wrong, and where useful what is expected.
    var message: String

    /// `KEY (SOURCE): MESSAGE`, or `SOURCE: MESSAGE` without a key.
    var description: String {
        if let key {
            return "\(key) (\(source)): \(message)"
        }
        return "\(source): \(message)"
    }
}

/// One attribute of the index configuration as one source gives it: `uid = ["eq", "sub"]` in the `[index]` table,
/// `uid=eq,sub` in `ANNUAIRE_INDEX` or `--index`.
struct RawIndexSetting: Hashable, Sendable {
    /// The attribute, as written.
    var attribute: String
    /// The kinds, as written; empty removes the attribute's index.
    var kinds: [String]
    /// Where it came from.
    var source: ConfigurationSource

    /// Parses `ATTRIBUTE=KIND[,KIND…]` (an empty list after `=` removes the index).
    static func parse(assignment text: String, source: ConfigurationSource) throws(ConfigurationIssue) -> Self {
        guard let equals = text.firstIndex(of: "=") else {
            throw ConfigurationIssue(
                key: ConfigurationKey.index.name, source: source,
                message: "'\(text)' is not ATTRIBUTE=KIND[,KIND…] (e.g. uid=eq,sub)")
        }
        let attribute = text[..<equals].trimmingASCIISpaces()
        let kinds = text[text.index(after: equals)...].split(separator: ",").map { $0.trimmingASCIISpaces() }
            .filter { !$0.isEmpty }
        return RawIndexSetting(attribute: attribute, kinds: kinds, source: source)
    }

    /// Parses `ANNUAIRE_INDEX`: assignments separated by `;` (`uid=eq,sub;mail=eq`).
    static func parse(list text: String, source: ConfigurationSource) throws(ConfigurationIssue) -> [Self] {
        var settings: [Self] = []
        for part in text.split(separator: ";") where !part.trimmingASCIISpaces().isEmpty {
            settings.append(try parse(assignment: String(part), source: source))
        }
        return settings
    }
}

import Foundation

/// A configuration file, parsed: its entries in order, each with its line.
///
/// The format is a strict subset of TOML (https://toml.io/en/v1.0.0), so any TOML tool reads it: `#` comments,
/// `key = value` with bare (`data-dir`) or quoted keys, basic (`"…"`) and literal (`'…'`) strings, decimal
/// integers (`262_144`), arrays of those (across lines, trailing comma allowed) and `[table]` headers. Anything
/// else TOML has (booleans, floats, dates, inline tables, multi-line strings, dotted keys) is refused with its line.
/// Duplicate keys and tables are errors, as in TOML.
struct ConfigFile: Hashable, Sendable {
    /// The path the file was read from, as given.
    var path: String
    /// The entries, in file order.
    var entries: [ConfigFileEntry]

    /// Parses `text`; `path` only names the file in messages.
    init(path: String, text: String) throws(ConfigFileError) {
        self.path = path
        var parser = ConfigFileParser(bytes: Array(text.utf8))
        self.entries = try parser.parseFile()
    }

    /// Reads and parses the file at `path`, named by `source` (the `--config` flag or `ANNUAIRE_CONFIG`).
    ///
    /// - Throws: ``ConfigurationIssue`` naming `source` when the file cannot be read, the file and line of a
    ///   syntax error otherwise.
    static func read(path: String, source: ConfigurationSource) throws(ConfigurationIssue) -> ConfigFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationIssue(
                key: nil, source: source,
                message: "cannot read configuration file '\(path)': \(Self.reason(error))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationIssue(
                key: nil, source: .file(path: path, line: 1), message: "the file is not valid UTF-8")
        }
        do {
            return try ConfigFile(path: path, text: text)
        } catch {
            throw ConfigurationIssue(key: nil, source: .file(path: path, line: error.line), message: error.message)
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "no such file"
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoPermissionError {
            return "permission denied"
        }
        return nsError.localizedDescription
    }
}

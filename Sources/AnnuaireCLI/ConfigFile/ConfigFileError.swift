/// A syntax error in a configuration file, with its 1-based line.
struct ConfigFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The line of the error.
    var line: Int
    /// What is wrong.
    var message: String

    /// `line N: MESSAGE`.
    var description: String { "line \(line): \(message)" }
}

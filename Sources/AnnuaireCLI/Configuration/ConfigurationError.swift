/// An invalid configuration: every problem found, so that one run shows them all.
///
/// Commands print each issue on standard error and exit with status 78 (`EX_CONFIG` of `sysexits.h`).
struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The exit status of a command stopped by an invalid configuration.
    static let exitStatus: Int32 = 78

    /// The problems, in the order of the keys.
    var issues: [ConfigurationIssue]

    /// One line per issue, each starting with `invalid configuration: `.
    var description: String {
        issues.map { "invalid configuration: \($0)" }.joined(separator: "\n")
    }
}

import ArgumentParser
import Foundation

extension ConfigurationOptions {
    /// Loads the configuration of these flags and the process environment, for a subcommand.
    ///
    /// Warnings go to standard error. An invalid configuration prints each problem on standard error, prefixed
    /// `annuaire: `, and ends the command with exit status 78 (`EX_CONFIG`).
    func loadOrExit(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LoadedConfiguration {
        do {
            let loaded = try loader(environment: environment).load()
            for warning in loaded.warnings {
                StandardError.write("annuaire: warning: \(warning)")
            }
            return loaded
        } catch {
            StandardError.write(error.issues.map { "annuaire: invalid configuration: \($0)" }.joined(separator: "\n"))
            throw ExitCode(ConfigurationError.exitStatus)
        }
    }
}

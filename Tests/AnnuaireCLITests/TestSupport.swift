import ArgumentParser
import Foundation
import Testing

@testable import AnnuaireCLI

/// Paths, temporary files and a loader for the configuration tests.
enum TestSupport {
    /// The repository root, found from this file (symbolic links resolved, so a build folder elsewhere that links
    /// `Tests/AnnuaireCLITests` here still finds `schema/` and `config/`).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped `schema/` directory.
    static var schemaDirectory: String { repositoryRoot.appendingPathComponent("schema").path }

    /// A new empty directory under the system's temporary directory.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("annuaire-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes `text` to `name` in a new temporary directory; returns the path.
    static func write(_ text: String, name: String = "annuaire.conf", in directory: String? = nil) throws -> String {
        let directory = try directory ?? temporaryDirectory()
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The environment every load starts from: the shipped schema (tests run from any working directory).
    static let baseEnvironment = ["ANNUAIRE_SCHEMA_DIRECTORY": schemaDirectory]

    /// Loads a configuration from a file's text (if any), an environment (added to ``baseEnvironment``) and flags.
    static func load(
        file: String? = nil,
        environment: [String: String] = [:],
        flags: [String] = []
    ) throws -> LoadedConfiguration {
        var arguments = flags
        if let file {
            arguments = ["--config", try write(file)] + arguments
        }
        let options = try ConfigurationOptions.parse(arguments)
        let environment = baseEnvironment.merging(environment) { $1 }
        return try options.loader(environment: environment).load()
    }

    /// The issues of a configuration that must be invalid; records a failure if it loads.
    static func issues(
        file: String? = nil,
        environment: [String: String] = [:],
        flags: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [ConfigurationIssue] {
        do {
            _ = try load(file: file, environment: environment, flags: flags)
            Issue.record("the configuration loaded, but it should be invalid", sourceLocation: sourceLocation)
            return []
        } catch let error as ConfigurationError {
            return error.issues
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return []
        }
    }

    /// The one issue of an invalid configuration; records a failure unless there is exactly one.
    static func singleIssue(
        file: String? = nil,
        environment: [String: String] = [:],
        flags: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ConfigurationIssue? {
        let found = issues(file: file, environment: environment, flags: flags, sourceLocation: sourceLocation)
        guard found.count == 1 else {
            Issue.record("expected one issue, got \(found.count): \(found)", sourceLocation: sourceLocation)
            return nil
        }
        return found[0]
    }
}

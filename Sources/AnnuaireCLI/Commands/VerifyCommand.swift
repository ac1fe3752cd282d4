import ArgumentParser
import LDAPProtocol
import Schema
import Storage

/// `annuaire verify [--config FILE] [--max-findings N]`: checks the entries, the DN tree, every index and the
/// counters against one another on one snapshot, read-only (beside a running server), and prints what disagrees
/// (docs/operations.md, "verify").
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the indexes, the tree and the counters against the entries.",
        discussion: """
            Prints one line per inconsistency (kind, database, key, entry, what disagrees) and a summary. Runs \
            beside a server (read-only, one consistent snapshot). Exit status: 0 consistent, 1 inconsistencies \
            found, 66 no database, 74 the database could not be read, 78 invalid configuration.
            """
    )

    /// Exit status when inconsistencies were found.
    static let inconsistentStatus: Int32 = 1
    /// `EX_NOINPUT`: no database in the data directory.
    static let noDatabaseStatus: Int32 = 66
    /// `EX_IOERR`: the database could not be read.
    static let readFailureStatus: Int32 = 74

    @OptionGroup var options: ConfigurationOptions

    @Option(
        name: .customLong("max-findings"),
        help: ArgumentHelp("Print at most this many inconsistencies (all are counted).", valueName: "n"))
    var maxFindings: Int = 1000

    func validate() throws {
        guard maxFindings >= 0 else { throw ValidationError("--max-findings must be 0 or more, not \(maxFindings)") }
    }

    func run() async throws {
        let loaded = try options.loadOrExit()
        let configuration = loaded.configuration
        let environment = try Self.openReadOnly(configuration.dataDirectory, configuration, command: "verify")
        let report = try Self.verify(
            environment, loaded: loaded, maximumFindings: maxFindings, command: "verify")
        Self.print(report, command: "verify")
        if !report.isClean { throw ExitCode(Self.inconsistentStatus) }
    }

    /// Opens the environment in `directory` read-only (no data-directory lock); 66 when there is none.
    static func openReadOnly(
        _ directory: String, _ configuration: Configuration, command: String
    ) throws -> LMDBEnvironment {
        do {
            return try LMDBEnvironment(
                directory: directory,
                configuration: LMDBConfiguration(
                    access: .readOnly, mapSize: configuration.mapSize, maxMapSize: configuration.maxMapSize))
        } catch {
            StandardError.write("annuaire \(command): no database in \(directory): \(error)")
            throw ExitCode(noDatabaseStatus)
        }
    }

    /// Runs ``StoreVerifier`` on `environment` with the configuration's schema and suffix; 74 when it cannot.
    static func verify(
        _ environment: LMDBEnvironment, loaded: LoadedConfiguration, maximumFindings: Int, command: String
    ) throws -> VerificationReport {
        var verifier = StoreVerifier(
            environment: environment,
            context: SchemaContext(schema: loaded.schema),
            namingContexts: [loaded.configuration.suffix],
            requestedIndexes: loaded.configuration.indexConfiguration)
        verifier.maximumFindings = maximumFindings
        do {
            return try verifier.verify()
        } catch {
            StandardError.write("annuaire \(command): \(environment.path) could not be verified: \(error.message)")
            throw ExitCode(readFailureStatus)
        }
    }

    /// The findings on standard output, then the summary; a pending reindex noted on standard error.
    static func print(_ report: VerificationReport, command: String) {
        for finding in report.findings { Swift.print(finding) }
        if report.omittedFindings > 0 {
            Swift.print("(\(report.omittedFindings) more inconsistencies not shown; see --max-findings)")
        }
        if report.isReindexPending {
            StandardError.write(
                "annuaire \(command): note: the configured indexes differ from those the store was built with "
                    + "(a reindex is pending); the recorded ones were checked")
        }
        Swift.print("annuaire \(command): \(report.summary)")
    }
}

import ArgumentParser
import Storage

/// `annuaire backup [--config FILE] [--force] [--no-verify] DEST`: a consistent, compacted copy of the database
/// into the directory DEST, taken read-only beside a running server, then verified (docs/operations.md,
/// "backup").
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database, consistently and compacted, while the server runs.",
        discussion: """
            Writes DEST/annuaire.mdb (a data directory of its own), from one snapshot, under a temporary name \
            renamed at the end, then verifies the copy as annuaire verify does. Exit status: 0 written (and \
            consistent), 1 written but the copy has inconsistencies (so has the database), 66 no database, \
            73 DEST is not empty (without --force) or cannot be written, 74 the copy or its check failed, \
            78 invalid configuration.
            """
    )

    /// `EX_CANTCREAT`: the destination cannot be used.
    static let destinationStatus: Int32 = 73

    @OptionGroup var options: ConfigurationOptions

    @Flag(help: "Replace the backup in a DEST that is not empty.")
    var force = false

    @Flag(name: .customLong("no-verify"), help: "Do not verify the copy.")
    var noVerify = false

    @Argument(help: ArgumentHelp("The backup directory (created when missing).", valueName: "dest"))
    var destination: String

    func run() async throws {
        let loaded = try options.loadOrExit()
        let configuration = loaded.configuration
        let result: BackupResult
        do {
            let source = try VerifyCommand.openReadOnly(configuration.dataDirectory, configuration, command: "backup")
            result = try EnvironmentBackup.write(source, into: destination, replacing: force)
        } catch let error as BackupError {
            StandardError.write("annuaire backup: \(error)")
            if case .copyFailed = error { throw ExitCode(VerifyCommand.readFailureStatus) }
            throw ExitCode(Self.destinationStatus)
        }

        let copy = try VerifyCommand.openReadOnly(destination, configuration, command: "backup")
        let entries: Int
        do {
            let database = try copy.openDatabase("entries", flags: [])
            entries = try copy.read { transaction in try transaction.statistics(database).entries }
        } catch {
            StandardError.write("annuaire backup: the copy \(result.path) cannot be read: \(error)")
            throw ExitCode(VerifyCommand.readFailureStatus)
        }
        print(
            "annuaire backup: \(result.path): \(entries) entries, \(result.bytes) bytes, copied in "
                + "\(Self.format(result.seconds)) s")
        guard !noVerify else { return }
        let report = try VerifyCommand.verify(copy, loaded: loaded, maximumFindings: 1000, command: "backup")
        VerifyCommand.print(report, command: "backup")
        if !report.isClean { throw ExitCode(VerifyCommand.inconsistentStatus) }
    }

    private static func format(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

import ArgumentParser
import Foundation
import Schema
import Storage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `annuaire import [--config FILE] LDIF`: offline bulk load, all or nothing (docs/operations.md, "import").
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load an LDIF file into the database, offline (the server stopped).",
        discussion: """
            Entries are added in file order (parents before children), validated against the schema, with their \
            indexes and counters. Operational attributes in the file (entryUUID, timestamps, creatorsName…, as \
            slapcat writes them) are kept; missing ones are generated. On a bad record the command prints \
            FILE:LINE: reason and loads nothing of the file. Exit status: 0 loaded, 65 bad data, 74 input or \
            database unreadable/unwritable, 75 the data directory is in use (a running server), 78 invalid \
            configuration.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @Option(help: ArgumentHelp("Entries per write transaction.", valueName: "n"))
    var batchSize: Int = 10_000

    @Flag(help: "No progress line, even on a terminal.")
    var quiet = false

    @Argument(help: ArgumentHelp("The LDIF file to load.", valueName: "ldif"))
    var ldif: String

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be 1 or more, not \(batchSize)") }
    }

    func run() async throws {
        let configuration = try options.loadOrExit().configuration
        let context: SchemaContext
        do {
            context = SchemaContext(schema: try Schema(files: configuration.schemaPaths))
        } catch {
            StandardError.write("annuaire import: \(error)")
            throw ExitCode(78)
        }
        let loader = BulkLoader(
            dataDirectory: configuration.dataDirectory,
            context: context,
            namingContexts: [configuration.suffix],
            indexes: configuration.indexConfiguration,
            options: BulkLoadOptions(
                rootDN: configuration.rootDN,
                now: Int64(Date().timeIntervalSince1970),
                batchSize: batchSize,
                environment: LMDBConfiguration(mapSize: configuration.mapSize, maxMapSize: configuration.maxMapSize)
            )
        )
        var meter = ProgressLine(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        do {
            let summary = try loader.load(path: ldif) { meter.show($0) }
            meter.finish()
            StandardError.write(
                "annuaire import: \(summary.entries) entries in \(Self.format(summary.seconds, digits: 1)) s "
                    + "(\(Int(summary.entriesPerSecond.rounded())) entries/s)")
        } catch {
            meter.finish()
            StandardError.write(error.description)
            StandardError.write("annuaire import: nothing was loaded; the database is unchanged")
            throw ExitCode(error.exitStatus)
        }
    }

    static func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}

/// The progress of an import on a terminal: one line on standard error, rewritten in place at most four times a
/// second: entries, entries/s, share of the file read and the time left (from the bytes still to read).
struct ProgressLine {
    let enabled: Bool
    private var lastShown: ContinuousClock.Instant?
    private var shown = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    mutating func show(_ progress: BulkProgress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if let lastShown, now - lastShown < .milliseconds(250) { return }
        lastShown = now
        let seconds = Double(progress.elapsed.components.seconds)
            + Double(progress.elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(progress.entries) / seconds : 0
        var line = "\(progress.entries) entries, \(Int(rate.rounded())) entries/s"
        if progress.totalBytes > 0 {
            let done = min(1, Double(progress.bytesRead) / Double(progress.totalBytes))
            line += ", \(Int((done * 100).rounded(.down)))%"
            if done > 0.01 {
                line += ", ETA " + Self.clock(seconds * (1 - done) / done)
            }
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        shown = true
    }

    /// Ends the line, so that what follows starts on its own.
    mutating func finish() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }
}

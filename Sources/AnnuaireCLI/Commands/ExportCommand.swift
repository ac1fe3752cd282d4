import ArgumentParser
import Foundation
import LDAPProtocol
import Schema
import Storage

/// `annuaire export [--config FILE] [--base DN] [OUT]`: the tree or a subtree as LDIF that `annuaire import`
/// loads back identically (docs/operations.md, "export"). Opens the database read-only: it may run beside a server.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the directory, or a subtree, as LDIF.",
        discussion: """
            Entries come parents first (depth first, siblings in the order they were added), with every user and \
            operational attribute, so that annuaire import loads the output back into the same tree. Runs beside \
            a server (read-only, one consistent snapshot). Exit status: 0 written, 66 no database or no entry at \
            --base, 74 the database or OUT could not be read or written, 78 invalid configuration.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @Option(help: ArgumentHelp("Export only this entry and its subtree.", valueName: "dn"))
    var base: String?

    @Argument(help: ArgumentHelp("The LDIF file to write; '-' or absent: standard output.", valueName: "out"))
    var output: String?

    func run() async throws {
        let configuration = try options.loadOrExit().configuration
        var baseDN: DistinguishedName?
        if let base {
            do {
                baseDN = try DistinguishedName(base)
            } catch {
                StandardError.write("annuaire export: --base '\(base)' is not a DN: \(error)")
                throw ExitCode(64)
            }
        }
        let exporter: DirectoryExporter
        let context: SchemaContext
        do {
            context = SchemaContext(schema: try Schema(files: configuration.schemaPaths))
        } catch {
            StandardError.write("annuaire export: \(error)")
            throw ExitCode(78)
        }
        let environment: LMDBEnvironment
        do {
            environment = try LMDBEnvironment(
                directory: configuration.dataDirectory,
                configuration: LMDBConfiguration(
                    access: .readOnly, mapSize: configuration.mapSize, maxMapSize: configuration.maxMapSize))
            exporter = try DirectoryExporter(environment: environment, context: context)
        } catch {
            StandardError.write("annuaire export: no database in \(configuration.dataDirectory): \(error)")
            throw ExitCode(66)
        }

        let sink: FileHandle
        let path = output ?? "-"
        if path == "-" {
            sink = FileHandle.standardOutput
        } else {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                StandardError.write("annuaire export: cannot create \(path)")
                throw ExitCode(74)
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                StandardError.write("annuaire export: cannot open \(path)")
                throw ExitCode(74)
            }
            sink = handle
        }
        let count: Int
        do {
            count = try exporter.export(base: baseDN) { bytes in try sink.write(contentsOf: bytes) }
            if path != "-" { try sink.synchronize() }
            try? sink.close()
        } catch let failure as DirectoryExporter.Failure {
            StandardError.write("annuaire export: \(failure)")
            throw ExitCode(failure.isMissingBase ? 66 : 74)
        } catch {
            StandardError.write("annuaire export: \(error)")
            throw ExitCode(74)
        }
        StandardError.write("annuaire export: \(count) entries")
    }
}

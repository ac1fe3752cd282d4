import Foundation
import LDAPProtocol
import Testing

/// Runs the built `annuaire` executable as an operator would.
///
/// The binary is found next to the test executable: `swift build --build-tests` and `swift test` put both in the
/// same build folder (`.build/debug/annuaire` beside `.build/debug/AnnuairePackageTests.xctest`), which on Linux
/// is where `/proc/self/exe` points. `ANNUAIRE_TEST_BINARY` overrides the search.
@Suite("annuaire executable, end to end")
struct EndToEndTests {
    struct Run {
        var status: Int32
        var standardOutput: [UInt8]
        var standardError: String
        var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
    }

    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["ANNUAIRE_TEST_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        for start in [URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(), Bundle.main.bundleURL] {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("annuaire"))
                directory = directory.deletingLastPathComponent()
            }
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw BinaryNotFound(searched: candidates.map(\.path))
        }
        return found
    }

    struct BinaryNotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "the annuaire executable was not found (build it first: swift build); searched \(searched)"
        }
    }

    /// Runs `annuaire arguments` with only `environment` (not the test process's), output into files.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let directory = try TestSupport.temporaryDirectory()
        let outPath = directory + "/stdout", errPath = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        process.waitUntilExit()
        let output = try Data(contentsOf: URL(fileURLWithPath: outPath))
        let error = try String(contentsOfFile: errPath, encoding: .utf8)
        return Run(status: process.terminationStatus, standardOutput: Array(output), standardError: error)
    }

    @Test("config check with a bad value exits 78 and names the key, the source and the problem")
    func invalidConfigurationExits78() throws {
        let run = try Self.run(
            ["config", "check", "--schema-directory", TestSupport.schemaDirectory, "--listen", "http://127.0.0.1:80"])
        #expect(run.status == 78)
        #expect(run.outputText.isEmpty)
        #expect(
            run.standardError.contains(
                "annuaire: invalid configuration: listen (flag --listen): 'http://127.0.0.1:80': scheme 'http' is "
                    + "not ldap or ldaps"),
            "stderr: \(run.standardError)")
    }

    @Test("config check reads a file named by ANNUAIRE_CONFIG and reports its line")
    func invalidFileExits78() throws {
        let path = try TestSupport.write("data-dir = \"./data\"\nlog_level = \"info\"\n")
        let run = try Self.run(
            ["config", "check"],
            environment: ["ANNUAIRE_CONFIG": path, "ANNUAIRE_SCHEMA_DIRECTORY": TestSupport.schemaDirectory])
        #expect(run.status == 78)
        #expect(
            run.standardError.contains(
                "annuaire: invalid configuration: \(path):2: unknown key 'log_level' (did you mean 'log-level'?)"),
            "stderr: \(run.standardError)")
    }

    @Test("config check of a valid configuration exits 0 and prints it")
    func validConfiguration() throws {
        let run = try Self.run(
            ["config", "check", "--log-level", "debug"],
            environment: ["ANNUAIRE_SCHEMA_DIRECTORY": TestSupport.schemaDirectory])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #expect(run.outputText.contains("log-level = \"debug\""))
        #expect(run.outputText.contains("# flag --log-level"))
        #expect(run.outputText.contains("# environment variable ANNUAIRE_SCHEMA_DIRECTORY"))
    }

    @Test("demo-data --people 50 --seed 1 writes LDIF that parses, the same bytes every run")
    func demoDataParses() throws {
        let first = try Self.run(["demo-data", "--people", "50", "--seed", "1"])
        #expect(first.status == 0, "stderr: \(first.standardError)")
        var reader = LDIFReader(bytes: first.standardOutput)
        let records = try reader.readAll()
        let entries = records.compactMap { record -> LDIFEntry? in
            if case .content(let entry) = record { return entry }
            return nil
        }
        #expect(entries.count == records.count)
        #expect(entries.first?.dn == "dc=dgfip,dc=finances,dc=gouv,dc=fr")
        #expect(entries.filter { $0.dn.hasSuffix(",ou=people,dc=dgfip,dc=finances,dc=gouv,dc=fr") }.count == 50)
        let second = try Self.run(["demo-data", "--people", "50", "--seed", "1"])
        #expect(second.standardOutput == first.standardOutput)
    }

    @Test("demo-data writes the LDIF and the credentials to files")
    func demoDataFiles() throws {
        let directory = try TestSupport.temporaryDirectory()
        let run = try Self.run([
            "demo-data", "--people", "5", "--seed", "7", "--password-scheme", "cleartext",
            "--credentials", directory + "/credentials.tsv", directory + "/demo.ldif",
        ])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #expect(run.standardOutput.isEmpty)
        var reader = try LDIFReader(path: directory + "/demo.ldif")
        #expect(try reader.readAll().count > 5)
        let credentials = try String(contentsOfFile: directory + "/credentials.tsv", encoding: .utf8)
        let lines = credentials.split(separator: "\n")
        #expect(lines.count >= 5)
        #expect(lines.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 4 })
    }

    @Test("demo-data refuses an unknown password scheme with a usage error")
    func demoDataBadScheme() throws {
        let run = try Self.run(["demo-data", "--people", "1", "--password-scheme", "md5"])
        #expect(run.status == 64)
        #expect(run.standardError.contains("--password-scheme 'md5'"))
    }
}

import Foundation
import LDAPProtocol
import Schema
import Storage
import Testing

/// Counts a writer thread's adds, and tells it to stop.
final class CLIWriterProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private var stopped = false
    private var failure: (any Error)?

    var written: Int { lock.withLock { done } }
    var shouldStop: Bool { lock.withLock { stopped } }
    var error: (any Error)? { lock.withLock { failure } }
    func wrote() { lock.withLock { done += 1 } }
    func stop() { lock.withLock { stopped = true } }
    func fail(_ error: any Error) { lock.withLock { failure = error } }
}

@Suite("annuaire backup, end to end")
struct BackupCommandTests {
    static func person(_ number: Int) throws -> Entry {
        let uid = "w\(number)"
        return Entry(
            dn: try DistinguishedName("uid=\(uid),ou=people,\(CLIStoreFixture.suffix)"),
            attributes: [
                EntryAttribute("objectClass", ["top", "person", "organizationalPerson", "inetOrgPerson"]),
                EntryAttribute("uid", [uid]), EntryAttribute("cn", ["Writer \(number)"]),
                EntryAttribute("sn", ["Writer"]), EntryAttribute("mail", ["\(uid)@example.com"]),
            ])
    }

    /// The numbers of the `w…` uids in the backup, and its entry count.
    static func writtenNumbers(_ directory: String) throws -> (numbers: [Int], entries: Int) {
        let environment = try LMDBEnvironment(directory: directory, configuration: LMDBConfiguration(access: .readOnly))
        let entries = try environment.openDatabase("entries", flags: [])
        return try environment.read { transaction in
            var numbers: [Int] = []
            var count = 0
            try transaction.forEach(in: entries) { stored in
                count += 1
                let entry = try EntryCoder.decode(stored.value)
                for uid in entry.stringValues(of: "uid") where uid.hasPrefix("w") {
                    if let number = Int(uid.dropFirst()) { numbers.append(number) }
                }
                return true
            }
            return (numbers.sorted(), count)
        }
    }

    @Test("backup by a second process while this one writes: verified clean, a prefix of the writes")
    func backupBesideWriter() throws {
        let (directory, store) = try CLIStoreFixture.populated(people: 200)
        let base = try store.counts().total
        let progress = CLIWriterProgress()
        let writer = Thread {
            var number = 0
            while !progress.shouldStop {
                do {
                    try store.add(Self.person(number))
                } catch {
                    progress.fail(error)
                    return
                }
                number += 1
                progress.wrote()
            }
        }
        writer.start()
        while progress.written < 20 && progress.error == nil { usleep(1000) }
        let before = progress.written
        let destination = try TestSupport.temporaryDirectory() + "/backup"
        let config = try CLIStoreFixture.configFile(dataDirectory: directory)
        let run = try EndToEndTests.run(
            ["backup", "--config", config, destination], environment: CLIStoreFixture.environment)
        let after = progress.written
        progress.stop()
        while !writer.isFinished { usleep(1000) }
        #expect(progress.error == nil)

        #expect(run.status == 0, "stderr: \(run.standardError)\nstdout: \(run.outputText)")
        let lines = run.outputText.split(separator: "\n")
        #expect(lines.first?.hasPrefix("annuaire backup: \(destination)/annuaire.mdb: ") == true, "\(run.outputText)")
        #expect(lines.last?.hasPrefix("annuaire backup: clean: ") == true, "\(run.outputText)")
        let (numbers, entries) = try Self.writtenNumbers(destination)
        #expect(numbers == Array(0..<numbers.count))
        #expect(numbers.count >= before && numbers.count <= after, "\(before) ≤ \(numbers.count) ≤ \(after)")
        #expect(entries == base + numbers.count)
        #expect(lines.first?.contains(": \(entries) entries, ") == true)

        // Again into the same directory: refused (73), then replaced with --force.
        let refused = try EndToEndTests.run(
            ["backup", "--config", config, destination], environment: CLIStoreFixture.environment)
        #expect(refused.status == 73)
        #expect(refused.standardError.contains("is not empty (use --force"), "\(refused.standardError)")
        let forced = try EndToEndTests.run(
            ["backup", "--config", config, "--force", "--no-verify", destination],
            environment: CLIStoreFixture.environment)
        #expect(forced.status == 0, "stderr: \(forced.standardError)")
        #expect(forced.outputText.split(separator: "\n").count == 1)
        #expect(try Self.writtenNumbers(destination).entries == base + progress.written)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: destination)).contains { $0.contains("partial") })
    }
}

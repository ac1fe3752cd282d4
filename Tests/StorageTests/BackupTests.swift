import Foundation
import LDAPProtocol
import Schema
import Testing

@testable import Storage

/// Counts the writes of a writer thread, and tells it to stop.
final class WriterProgress: @unchecked Sendable {
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

/// The uids `w0`, `w1`… a writer added, as found in the entries of an environment opened read-only.
func writtenUIDs(inBackup directory: String) throws -> (numbers: [Int], entries: Int) {
    let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration(access: .readOnly))
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

@Suite("backup: a consistent copy while another thread writes")
struct BackupTests {
    @Test("a backup taken during continuous writes verifies clean and holds exactly a prefix of the writes")
    func backupDuringWrites() throws {
        try withTemporaryDataDirectory { directory in
            let store = try openStore(directory)
            try store.add(domain())
            try store.add(unit("ou=people,dc=example,dc=com"))
            for number in 0..<200 { try store.add(person("base\(number)")) }
            let progress = WriterProgress()
            let writer = Thread {
                var number = 0
                while !progress.shouldStop {
                    do {
                        try store.add(person("w\(number)", population: number % 2 == 0 ? "SSLEPN" : "ADMIN"))
                    } catch {
                        progress.fail(error)
                        return
                    }
                    number += 1
                    progress.wrote()
                }
            }
            writer.start()
            while progress.written < 50 && progress.error == nil { usleep(1000) }
            let before = progress.written
            let destination = directory + "-backup"
            defer { try? FileManager.default.removeItem(atPath: destination) }
            let result = try EnvironmentBackup.write(store.environment, into: destination)
            let after = progress.written
            // Let the writer go on a little after the copy, then stop it.
            while progress.written < after + 20 && progress.error == nil { usleep(1000) }
            progress.stop()
            while !writer.isFinished { usleep(1000) }
            #expect(progress.error == nil)

            #expect(result.path == destination + "/annuaire.mdb")
            #expect(result.bytes > 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: destination) == ["annuaire.mdb"])
            let (numbers, entries) = try writtenUIDs(inBackup: destination)
            // A prefix: w0 … w(k-1), with the copy's snapshot taken between the two readings.
            #expect(numbers == Array(0..<numbers.count))
            #expect(numbers.count >= before && numbers.count <= after, "\(before) ≤ \(numbers.count) ≤ \(after)")
            #expect(entries == 202 + numbers.count)

            let environment = try LMDBEnvironment(
                directory: destination, configuration: testConfiguration(access: .readOnly))
            let report = try StoreVerifier(
                environment: environment, context: try StoreSchema.context(), namingContexts: [suffix]
            ).verify()
            #expect(report.isClean, "\(report.findings.prefix(5))")
            #expect(report.entries == entries)
            // The writer went on after the copy: the live store has more.
            #expect(try store.counts().total > entries)
        }
    }

    @Test("a non-empty destination is refused unless replacing; the data directory itself always is")
    func destinationRules() throws {
        try withStore { store in
            let destination = store.environment.directory + "-backup"
            defer { try? FileManager.default.removeItem(atPath: destination) }
            _ = try EnvironmentBackup.write(store.environment, into: destination)
            try store.add(person("later"))
            let refused = #expect(throws: BackupError.self) {
                try EnvironmentBackup.write(store.environment, into: destination)
            }
            #expect(
                refused.map { "\($0)" } == "destination \(destination) is not empty (use --force to replace "
                    + "the backup in it)")
            _ = try EnvironmentBackup.write(store.environment, into: destination, replacing: true)
            #expect(try FileManager.default.contentsOfDirectory(atPath: destination) == ["annuaire.mdb"])
            #expect(try writtenUIDs(inBackup: destination).entries == 3)

            let itself = #expect(throws: BackupError.self) {
                try EnvironmentBackup.write(store.environment, into: store.environment.directory, replacing: true)
            }
            #expect(itself.map { "\($0)" }?.contains("is the data directory itself") == true)
        }
    }
}

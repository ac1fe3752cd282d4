import Foundation
import Storage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("LMDB data directory lock")
struct LMDBDataDirectoryLockTests {
    @Test("a second open of the same data directory in this process is refused, then allowed after close")
    func secondOpenInProcess() throws {
        try withTemporaryDataDirectory { directory in
            do {
                let first = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
                let error = #expect(throws: DataDirectoryError.self) {
                    try LMDBEnvironment(directory: directory, configuration: testConfiguration())
                }
                #expect(error == .alreadyOpenInThisProcess(directory: first.directory))
                // Read-only too: LMDB forbids two opens of one environment in a process.
                #expect(throws: DataDirectoryError.self) {
                    try LMDBEnvironment(
                        directory: directory + "/.", configuration: testConfiguration(access: .readOnly))
                }
                #expect(try String(contentsOfFile: directory + "/annuaire.lock", encoding: .utf8) == "\(getpid())\n")
            }
            _ = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
        }
    }

    @Test("the flock is per open file description: a lock taken through another descriptor refuses the open")
    func flockOnAnotherDescriptor() throws {
        try withTemporaryDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let lockPath = directory + "/annuaire.lock"
            let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o600)
            #expect(descriptor >= 0)
            defer { close(descriptor) }
            #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
            _ = "4242\n".withCString { write(descriptor, $0, 5) }

            let error = #expect(throws: DataDirectoryError.self) {
                try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            }
            let canonical = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
            #expect(error == .inUse(directory: canonical, pid: 4242))
            #expect(
                error?.description == "data directory \(canonical) is in use by another Annuaire process (pid 4242)")
            // The refused open did not take the directory for this process either.
            flock(descriptor, LOCK_UN)
            _ = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
        }
    }

    @Test("another process holding the directory is named by its pid; read-only opens beside it still work")
    func otherProcess() throws {
        try withTemporaryDataDirectory { directory in
            do {
                let environment = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
                let entries = try environment.openDatabase("entries")
                try environment.write { try $0.put(entries, key: "k".bytes, value: "v".bytes) }
            }
            let lockPath = directory + "/annuaire.lock"
            // A child process takes the lock the way the server does (flock(1) on the file) and writes its pid.
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            child.arguments = ["-x", "-n", lockPath, "/bin/sh", "-c", "echo $$ > \"$0\"; exec sleep 20", lockPath]
            try child.run()
            var holderPid: Int32?
            defer {
                if let holderPid { kill(holderPid, SIGKILL) }
                if child.isRunning { child.terminate() }
                child.waitUntilExit()
            }
            // Wait (at most 10 s) until the child has written its pid.
            var childPid: Int32?
            for _ in 0..<1000 {
                if let text = try? String(contentsOfFile: lockPath, encoding: .utf8),
                    let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
                {
                    childPid = pid
                    break
                }
                usleep(10_000)
            }
            let pid = try #require(childPid)
            holderPid = pid
            #expect(pid != getpid())

            let error = #expect(throws: DataDirectoryError.self) {
                try LMDBEnvironment(directory: directory, configuration: testConfiguration())
            }
            let canonical = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
            #expect(
                error?.description == "data directory \(canonical) is in use by another Annuaire process (pid \(pid))")

            do {
                let reader = try LMDBEnvironment(
                    directory: directory, configuration: testConfiguration(access: .readOnly))
                let entries = try reader.openDatabase("entries")
                #expect(try reader.read { try $0.get(entries, key: "k".bytes) } == "v".bytes)
            }

            // flock(1) runs the shell as its child: end that one (it holds the locked descriptor), then flock(1) exits.
            // SIGKILL, as the test runner may have SIGTERM blocked, and children inherit the mask.
            kill(pid, SIGKILL)
            child.waitUntilExit()
            // The lock died with its holder.
            _ = try LMDBEnvironment(directory: directory, configuration: testConfiguration())
        }
    }
}

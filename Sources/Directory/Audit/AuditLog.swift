import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the audit trail goes: one JSON line per write (``AuditRecord``), appended to a file or standard error.
///
/// Each line is handed to the kernel with a single `write(2)`, so lines never interleave even if another
/// process appends to the same file (`O_APPEND`), and a line is either in the file or reported as not written.
/// With ``synchronizes`` the file is `fsync`ed after each line, so a line survives a power cut as the LMDB
/// commit that follows it does. The file is created `0600`: the trail names people and who changed them.
///
/// Thread-safe: a lock serializes lines (writes come from the server's single writer thread anyway).
package final class AuditLog: Sendable {
    /// Where lines are written.
    package enum Destination: Sendable, Hashable {
        /// The process's standard error (a container's or systemd's log collector).
        case standardError
        /// A file, appended to, created `0600` when missing (its directory must exist).
        case file(String)
    }

    /// What a write does when its audit line cannot be written.
    package enum FailureMode: String, Sendable, Hashable {
        /// The write fails with `unavailable` and nothing is stored: no change without its trail.
        case fail
        /// The write goes on; the failure is logged in the server log.
        case `continue`
    }

    /// Where lines are written.
    package let destination: Destination
    /// What a write does when its line cannot be written.
    package let failureMode: FailureMode
    /// Whether each line is `fsync`ed before the change commits.
    package let synchronizes: Bool

    private struct Sink {
        var descriptor: Int32
        var ownsDescriptor: Bool
        /// A short write left a partial line: the next line starts with a newline so it stays parseable.
        var lineTorn = false
    }

    private let sink: NIOLockedValueBox<Sink>

    /// Opens the trail at `destination` (the file is created when missing; a file that cannot be opened for
    /// appending is an error now rather than on the first write).
    package init(destination: Destination, failureMode: FailureMode = .fail, synchronizes: Bool = false)
        throws(AuditLogError)
    {
        self.destination = destination
        self.failureMode = failureMode
        self.synchronizes = synchronizes
        switch destination {
        case .standardError:
            sink = NIOLockedValueBox(Sink(descriptor: STDERR_FILENO, ownsDescriptor: false))
        case .file(let path):
            sink = NIOLockedValueBox(Sink(descriptor: try Self.open(path), ownsDescriptor: true))
        }
    }

    /// Writes to `descriptor`, which stays the caller's (not closed); for embedding and tests.
    package init(descriptor: Int32, failureMode: FailureMode = .fail, synchronizes: Bool = false) {
        self.destination = .standardError
        self.failureMode = failureMode
        self.synchronizes = synchronizes
        sink = NIOLockedValueBox(Sink(descriptor: descriptor, ownsDescriptor: false))
    }

    deinit {
        let sink = self.sink.withLockedValue { $0 }
        if sink.ownsDescriptor { close(sink.descriptor) }
    }

    /// Appends `record` as one line (and `fsync`s it when configured).
    package func write(_ record: AuditRecord) throws(AuditLogError) {
        let line = Array(record.jsonLine.utf8)
        let synchronizes = self.synchronizes
        let failure: AuditLogError? = sink.withLockedValue { sink in
            let bytes = sink.lineTorn ? [UInt8(ascii: "\n")] + line : line
            var written: Int
            repeat {
                written = bytes.withUnsafeBytes { systemWrite(sink.descriptor, $0.baseAddress, $0.count) }
            } while written < 0 && errno == EINTR
            if written < 0 { return AuditLogError("audit log: write(2)", code: errno) }
            if written < bytes.count {
                sink.lineTorn = true
                return AuditLogError("audit log: short write(2) (\(written) of \(bytes.count) bytes)", code: 0)
            }
            sink.lineTorn = false
            // Standard error is often a pipe or a terminal, which cannot be synchronized (EINVAL).
            if synchronizes, fsync(sink.descriptor) != 0, errno != EINVAL {
                return AuditLogError("audit log: fsync(2)", code: errno, lineWritten: true)
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Reopens the file (after a log rotation moved it away); standard error and borrowed descriptors stay.
    package func reopen() throws(AuditLogError) {
        guard case .file(let path) = destination else { return }
        let descriptor = try Self.open(path)
        let old = sink.withLockedValue { sink in
            let old = sink.descriptor
            sink = Sink(descriptor: descriptor, ownsDescriptor: true)
            return old
        }
        close(old)
    }

    private static func open(_ path: String) throws(AuditLogError) -> Int32 {
        let descriptor = systemOpen(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw AuditLogError("audit log: cannot open '\(path)'", code: errno) }
        return descriptor
    }
}

/// `write(2)`, named apart from ``AuditLog/write(_:)``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// `open(2)`, named apart from the type's helper.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}

import LDAPProtocol
import Logging
import Storage

/// The audit of one write operation, made when the request arrives and finished when it ends.
///
/// A write that succeeds gets its line from ``beforeCommit``, which the store runs inside the transaction once
/// every check has passed: if the line cannot be written (and the log's mode is `fail`), the transaction is
/// aborted and the client gets `unavailable`. A write that fails gets its line from ``refused(_:)`` after the
/// refusal; if the success line was already written (the commit itself failed, or the `fsync` after the line),
/// that second line, with the same connection and message ID, says how it really ended. A failure after the
/// commit (a post-read that cannot read the entry back) adds no line: the change was made, as the line says.
///
/// Used on the one thread that runs the operation; not shared.
final class AuditTrail {
    private let log: AuditLog?
    private var record: AuditRecord
    private let clock: DirectoryClock
    private let logger: Logger
    private var successWritten = false
    private var committed = false
    private var finished = false

    init(log: AuditLog?, record: AuditRecord, clock: DirectoryClock, logger: Logger) {
        self.log = log
        self.record = record
        self.clock = clock
        self.logger = logger
    }

    /// What the store runs just before committing (`nil` when nothing is audited, so the store does nothing).
    var beforeCommit: (() throws -> Void)? {
        guard log != nil else { return nil }
        return { [self] in try self.writeSuccess() }
    }

    /// The success line, once even when the store runs the transaction again (after the map grew).
    private func writeSuccess() throws {
        guard let log, !successWritten else { return }
        record.resultCode = .success
        record.microsecondsSince1970 = clock.microsecondsSince1970()
        do {
            try log.write(record)
            successWritten = true
        } catch {
            successWritten = error.lineWritten
            let what = "\(record.operation.rawValue) '\(record.targetDN)'"
            logger.error("audit: the line of \(what) was not written: \(error)")
            guard log.failureMode == .fail else { return }
            throw StoreError(.unavailable, "the audit trail cannot be written: the change was not made")
        }
    }

    /// Notes that the store committed the change: a later failure does not undo it.
    func markCommitted() { committed = true }

    /// Records the failure `outcome` carries and returns it: the refusal's line, or the line that supersedes a
    /// success line whose commit failed. A line that cannot be written is reported in the server log; the
    /// refusal stands either way.
    func refused(_ outcome: OperationOutcome) -> OperationOutcome {
        guard let log, !finished, !committed else { return outcome }
        finished = true
        record.resultCode = outcome.log.resultCode
        record.microsecondsSince1970 = clock.microsecondsSince1970()
        do {
            try log.write(record)
        } catch {
            let what = "\(record.operation.rawValue) '\(record.targetDN)' (\(record.resultCode))"
            logger.error("audit: the refusal of \(what) was not recorded: \(error)")
        }
        return outcome
    }
}

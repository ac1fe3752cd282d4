import Directory
import LDAPProtocol
import NIOCore

/// The requests of one connection that are running or waiting, and the rule that orders them around Bind
/// (RFC 4511 §4.2.1: before a Bind is processed all uncompleted operations complete or are abandoned): a Bind
/// waits until every earlier operation has finished, and requests after it wait until it has finished, so each
/// runs with the identity the Bind established. Everything else runs concurrently. A value type, used on the
/// connection's event loop only.
struct OperationTable {
    /// One request the connection has accepted.
    struct Entry {
        /// The connection's operation number (the access log's `op=`).
        let number: UInt64
        /// The request.
        let message: LDAPMessage
        /// When it was received, for `elapsed_us`.
        let received: NIODeadline
        /// Set by Abandon, close and shutdown.
        let cancellation: OperationCancellation
        /// Whether Abandon named it: nothing more is sent for it. (Shutdown cancels without abandoning: a write
        /// that completes anyway still gets its response.)
        var abandoned = false
    }

    /// What Abandon found.
    enum Abandonment: Equatable {
        /// Was waiting: removed, it will never run.
        case removedFromQueue
        /// Is running: its cancellation is set.
        case cancelled
        /// No such operation (finished already, or never existed): nothing to do (RFC 4511 §4.11).
        case notFound
        /// A Bind, which cannot be abandoned (RFC 4511 §4.11).
        case notAbandonable
    }

    /// Dispatched and not finished, by operation number.
    private(set) var running: [UInt64: Entry] = [:]
    /// Accepted and waiting behind a Bind, in arrival order.
    private(set) var queued: [Entry] = []
    /// Whether the running set holds a Bind.
    private(set) var bindRunning = false

    /// Running and waiting together: what the outstanding-operations limit counts.
    var count: Int { running.count + queued.count }
    /// Whether nothing is running or waiting (StartTLS and the idle timeout need that).
    var isIdle: Bool { running.isEmpty && queued.isEmpty }

    /// Accepts a request; ``takeDispatchable()`` says when it may run.
    mutating func enqueue(_ entry: Entry) { queued.append(entry) }

    /// The waiting requests that may run now, in order, moved to the running set.
    mutating func takeDispatchable() -> [Entry] {
        var ready: [Entry] = []
        while !bindRunning, let first = queued.first {
            if first.message.isBind {
                guard running.isEmpty else { break }
                bindRunning = true
            }
            queued.removeFirst()
            running[first.number] = first
            ready.append(first)
        }
        return ready
    }

    /// Forgets a finished operation and returns it.
    mutating func finish(_ number: UInt64) -> Entry? {
        guard let entry = running.removeValue(forKey: number) else { return nil }
        if entry.message.isBind { bindRunning = false }
        return entry
    }

    /// Whether operation `number` is running and not abandoned.
    func isLive(_ number: UInt64) -> Bool {
        guard let entry = running[number] else { return false }
        return !entry.abandoned
    }

    /// Abandons the request with `messageID`.
    mutating func abandon(messageID: Int32) -> Abandonment {
        if let index = queued.firstIndex(where: { $0.message.messageID == messageID }) {
            guard !queued[index].message.isBind else { return .notAbandonable }
            queued[index].cancellation.cancel()
            queued.remove(at: index)
            return .removedFromQueue
        }
        guard let entry = running.values.first(where: { $0.message.messageID == messageID }) else { return .notFound }
        guard !entry.message.isBind else { return .notAbandonable }
        entry.cancellation.cancel()
        running[entry.number]?.abandoned = true
        return .cancelled
    }

    /// Cancels everything running and drops everything waiting (close, shutdown).
    mutating func cancelAll() {
        for entry in running.values { entry.cancellation.cancel() }
        for entry in queued { entry.cancellation.cancel() }
        queued.removeAll()
    }
}

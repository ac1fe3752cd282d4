import Directory
import Foundation

/// Backpressure between the threads producing search entries and the connection's socket: a pool thread
/// waits here before handing an entry to the event loop while the channel is not writable or more than
/// ``limit`` bytes are already on their way to it. A slow reader thus holds at most `limit` bytes here plus the
/// channel's high water mark (64 KiB) per connection, and a blocked thread wakes on cancellation or close.
final class OutboundGate: @unchecked Sendable {
    // @unchecked: every stored var is guarded by `condition`.
    private let condition = NSCondition()
    private var channelWritable = true
    private var pendingBytes = 0
    private var closed = false
    /// Bytes allowed between the pool threads and the channel.
    let limit: Int

    /// Makes an open gate.
    init(limit: Int = 64 * 1024) { self.limit = limit }

    /// Called by a pool thread before sending `bytes`; waits while the connection is saturated. Returns `false`
    /// (send nothing) once the connection is closed or the operation cancelled.
    func acquire(_ bytes: Int, cancellation: OperationCancellation) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if closed || cancellation.isCancelled { return false }
            if channelWritable && (pendingBytes == 0 || pendingBytes + bytes <= limit) {
                pendingBytes += bytes
                return true
            }
            // Timed wait: cancellation sets a flag without signalling this condition.
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
    }

    /// Called on the event loop once `bytes` acquired earlier reached the channel; returns whether nothing more
    /// is on its way (time to flush).
    @discardableResult
    func release(_ bytes: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        pendingBytes = max(0, pendingBytes - bytes)
        condition.broadcast()
        return pendingBytes == 0
    }

    /// Follows the channel's writability.
    func setWritable(_ writable: Bool) {
        condition.lock()
        defer { condition.unlock() }
        channelWritable = writable
        if writable { condition.broadcast() }
    }

    /// Wakes every waiting thread, e.g. after an abandon, so it sees its cancellation at once.
    func wakeAll() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Refuses every further send; waiting threads return `false`.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
    }
}

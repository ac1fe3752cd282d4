import NIOConcurrencyHelpers

/// Fixed-window counters per key (an identifier, a client address): the first event of a key opens a window of
/// ``RateLimit/windowSeconds``; within it at most ``RateLimit/count`` events pass. Memory is bounded: expired
/// windows are dropped once a minute, and past ``maximumKeys`` live keys a new key is refused (fail closed: a
/// flood of addresses cannot grow the table without end).
///
/// One limiter serves one limit (its windows all have the same length). Thread-safe (a lock); times are
/// microseconds since 1970 from the directory's injected clock.
package final class ResetRateLimiter: Sendable {
    private struct Window {
        var start: Int64
        var count: Int
    }

    private struct State {
        var windows: [String: Window] = [:]
        var lastPrune: Int64 = 0
    }

    /// The most keys tracked at once.
    package let maximumKeys: Int
    private let state = NIOLockedValueBox(State())

    /// An empty limiter.
    package init(maximumKeys: Int = 100_000) {
        self.maximumKeys = maximumKeys
    }

    /// Counts one event for `key` under `limit`; `false` when the limit is reached (the event is not counted).
    package func allow(_ key: String, _ limit: RateLimit, now: Int64) -> Bool {
        guard limit.count > 0 else { return true }
        let length = limit.windowSeconds * 1_000_000
        return state.withLockedValue { state in
            if now - state.lastPrune > 60_000_000 {
                state.lastPrune = now
                state.windows = state.windows.filter { now - $0.value.start < length }
            }
            if var window = state.windows[key], now - window.start < length {
                guard window.count < limit.count else { return false }
                window.count += 1
                state.windows[key] = window
                return true
            }
            guard state.windows[key] != nil || state.windows.count < maximumKeys else { return false }
            state.windows[key] = Window(start: now, count: 1)
            return true
        }
    }
}

import Foundation

/// The directory's sources of time: the wall clock for what is stored (timestamps, CSNs) and a monotonic
/// clock for what is measured (search time limits). Injected so tests control both.
package struct DirectoryClock: Sendable {
    /// Microseconds since 1970-01-01T00:00:00Z.
    package var microsecondsSince1970: @Sendable () -> Int64
    /// Nanoseconds since an arbitrary fixed point; never goes back.
    package var monotonicNanoseconds: @Sendable () -> Int64

    /// Makes a clock from its two readings.
    package init(
        microsecondsSince1970: @escaping @Sendable () -> Int64,
        monotonicNanoseconds: @escaping @Sendable () -> Int64
    ) {
        self.microsecondsSince1970 = microsecondsSince1970
        self.monotonicNanoseconds = monotonicNanoseconds
    }

    /// The system's clocks.
    package static let system = DirectoryClock(
        microsecondsSince1970: { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) },
        monotonicNanoseconds: {
            let elapsed = ContinuousClock.now - processStart
            return elapsed.components.seconds &* 1_000_000_000 &+ elapsed.components.attoseconds / 1_000_000_000
        })

    private static let processStart = ContinuousClock.now
}

import NIOConcurrencyHelpers
import NIOPosix

/// The threads that run the directory's blocking calls: a pool for reads, one thread for writes (the store has
/// one writer; queueing writes here keeps them from occupying read threads while they wait for it). Counts the
/// work in flight so shutdown can wait for it.
final class OperationExecutor: Sendable {
    private let readers: NIOThreadPool
    private let writer: NIOThreadPool
    private let inFlight = NIOLockedValueBox(0)

    /// Makes and starts the pools.
    init(readThreadCount: Int) {
        readers = NIOThreadPool(numberOfThreads: max(1, readThreadCount))
        writer = NIOThreadPool(numberOfThreads: 1)
        readers.start()
        writer.start()
    }

    /// Work submitted and not yet finished.
    var inFlightCount: Int { inFlight.withLockedValue { $0 } }

    /// Runs `work` on the writer thread or a read thread; `work` receives `false` when the pool is shutting down
    /// and the work must not touch the directory.
    func submit(isWrite: Bool, _ work: @escaping @Sendable (_ active: Bool) -> Void) {
        inFlight.withLockedValue { $0 += 1 }
        (isWrite ? writer : readers).submit { [inFlight] state in
            defer { inFlight.withLockedValue { $0 -= 1 } }
            if case .active = state { work(true) } else { work(false) }
        }
    }

    /// Waits until no work is in flight or `timeout` has passed; returns whether everything finished.
    func waitUntilIdle(timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while inFlightCount > 0 {
            guard clock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Stops both pools once their running work has finished (NIOThreadPool joins its threads).
    func shutdown() async {
        try? await readers.shutdownGracefully()
        try? await writer.shutdownGracefully()
    }
}

import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for one of a set of signals (SIGTERM, SIGINT) without a signal handler running Swift code: the
/// signals are ignored at the process level and delivered to a dispatch source, which resumes the waiter.
///
/// Made before the server starts, so a signal that arrives during start-up is not lost.
final class SignalWaiter: @unchecked Sendable {
    // Guarded by `lock`; the sources must stay referenced for the signals to be delivered.
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    private var received: Int32?
    private var waiter: CheckedContinuation<Int32, Never>?

    init(signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.deliver(number) }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// The first signal received (at once if one already was).
    func next() async -> Int32 {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let received {
                lock.unlock()
                continuation.resume(returning: received)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }

    private func deliver(_ number: Int32) {
        lock.lock()
        guard received == nil else {
            lock.unlock()
            return
        }
        received = number
        let continuation = waiter
        waiter = nil
        lock.unlock()
        continuation?.resume(returning: number)
    }
}

/// Runs `handler` on a dispatch queue each time `signal` arrives (SIGHUP: reopen the audit trail), the signal
/// being ignored at the process level.
final class SignalHandlerSource: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    init(signal number: Int32, handler: @escaping @Sendable () -> Void) {
        signal(number, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
    }

    /// Stops delivering the signal.
    func cancel() { source.cancel() }
}

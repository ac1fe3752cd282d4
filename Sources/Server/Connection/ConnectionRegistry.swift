import NIOConcurrencyHelpers
import NIOCore

/// The server's open connections: enforces the total and per-address limits at accept, hands out connection
/// ids, and lets shutdown reach every connection. Shared by every event loop.
final class ConnectionRegistry: Sendable {
    /// What shutdown can do to one connection.
    struct Control: Sendable {
        /// The connection's channel.
        let channel: any Channel
        /// Cancels its operations and refuses new ones.
        let beginShutdown: @Sendable () -> Void
        /// Sends a Notice of Disconnection (unavailable) and closes.
        let close: @Sendable () -> Void
    }

    /// Why a connection was refused at accept.
    enum Refusal: Error, CustomStringConvertible {
        case total(Int)
        case perAddress(Int)
        case shuttingDown

        var description: String {
            switch self {
            case .total(let limit): "connection limit reached (\(limit))"
            case .perAddress(let limit): "connection limit per address reached (\(limit))"
            case .shuttingDown: "shutting down"
            }
        }
    }

    private struct State {
        var total = 0
        var perAddress: [String: Int] = [:]
        var controls: [UInt64: Control] = [:]
        var accepting = true
    }

    /// Process-wide, so ids stay unique across servers in one process (tests run several).
    private static let nextConnectionID = NIOLockedValueBox<UInt64>(1)

    private let state = NIOLockedValueBox(State())
    private let maximumTotal: Int
    private let maximumPerAddress: Int

    /// Makes a registry with the given limits.
    init(maximumTotal: Int, maximumPerAddress: Int) {
        self.maximumTotal = maximumTotal
        self.maximumPerAddress = maximumPerAddress
    }

    /// Counts a new connection from `host`, or says why it is refused.
    func admit(host: String) -> Refusal? {
        state.withLockedValue { state in
            guard state.accepting else { return .shuttingDown }
            guard state.total < maximumTotal else { return .total(maximumTotal) }
            let fromHost = state.perAddress[host, default: 0]
            guard fromHost < maximumPerAddress else { return .perAddress(maximumPerAddress) }
            state.total += 1
            state.perAddress[host] = fromHost + 1
            return nil
        }
    }

    /// Uncounts a connection admitted earlier.
    func release(host: String) {
        state.withLockedValue { state in
            state.total -= 1
            let remaining = state.perAddress[host, default: 1] - 1
            state.perAddress[host] = remaining > 0 ? remaining : nil
        }
    }

    /// The next connection id (1, 2, …).
    static func makeConnectionID() -> UInt64 {
        nextConnectionID.withLockedValue { id in
            defer { id += 1 }
            return id
        }
    }

    /// Makes connection `id` reachable by shutdown.
    func register(_ id: UInt64, _ control: Control) { state.withLockedValue { $0.controls[id] = control } }

    /// Forgets connection `id`.
    func unregister(_ id: UInt64) { _ = state.withLockedValue { $0.controls.removeValue(forKey: id) } }

    /// Refuses every further connection and returns the open ones.
    func stopAccepting() -> [Control] {
        state.withLockedValue { state in
            state.accepting = false
            return Array(state.controls.values)
        }
    }

    /// How many connections are open.
    var openCount: Int { state.withLockedValue { $0.total } }
}

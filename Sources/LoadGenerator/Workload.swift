/// What `annuaire bench --workload` runs.
public enum Workload: String, CaseIterable, Sendable {
    /// Equality search on the uid of a random account, one entry back.
    case searchUID = "search-uid"
    /// Simple bind of a random account with its password.
    case bind
    /// The portal's sign-in: bind, then read the bound entry (base search).
    case login
    /// Replace the description of a random account, as --bind-dn.
    case modify
    /// 90% login, 9% search-uid, 1% modify.
    case mixed

    /// Whether the workload binds as users: then one connection has one request in flight (RFC 4511 §4.2.1:
    /// no other operation may be outstanding on a connection while a bind is), and depth becomes connections.
    public var bindsUsers: Bool {
        switch self {
        case .bind, .login, .mixed: true
        case .searchUID, .modify: false
        }
    }

    /// Whether the workload needs the --bind-dn connection (searches and modifies run on it).
    public var usesServiceConnection: Bool {
        switch self {
        case .searchUID, .modify, .mixed: true
        case .bind, .login: false
        }
    }
}

/// One operation of a workload.
public enum OperationKind: String, Hashable, Sendable, CaseIterable {
    case searchUID = "search-uid"
    case bind
    case login
    case modify
}

/// Draws the next operation of a workload.
public struct WorkloadPicker: Sendable {
    public let workload: Workload

    public init(_ workload: Workload) { self.workload = workload }

    /// For `mixed`: out of 100 draws, 90 login, 9 search-uid, 1 modify.
    public func next(using random: inout some RandomNumberGenerator) -> OperationKind {
        switch workload {
        case .searchUID: return .searchUID
        case .bind: return .bind
        case .login: return .login
        case .modify: return .modify
        case .mixed:
            let draw = random.next(upperBound: UInt64(100))
            if draw < 90 { return .login }
            if draw < 99 { return .searchUID }
            return .modify
        }
    }

    /// The index of a uniformly drawn account among `count` (> 0).
    public static func accountIndex(count: Int, using random: inout some RandomNumberGenerator) -> Int {
        Int(random.next(upperBound: UInt64(count)))
    }
}

/// SplitMix64: fast, seedable, good enough to spread requests over accounts; one per slot, no locking.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

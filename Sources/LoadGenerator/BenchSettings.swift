/// A setting of `annuaire bench` that cannot be used; the description says which and why.
public struct BenchSettingsError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// Everything a run needs besides the accounts.
public struct BenchSettings: Sendable {
    public var url: BenchURL
    public var workload: Workload
    /// Connections (for workloads that bind users: slots, each with its own connection; see `slotCount`).
    public var connections: Int
    /// Requests in flight per connection.
    public var depth: Int
    /// Measured seconds, after the warm-up.
    public var duration: Double
    /// Seconds run first and not measured (connections warm, caches filled, JIT-free but page faults done).
    public var warmup: Double
    /// The identity of the search and modify connection; anonymous when nil.
    public var bindDN: String?
    public var password: String?
    /// The base of the uid searches.
    public var base: String
    /// Event-loop threads of the generator.
    public var threads: Int
    /// Off only by an explicit flag, for self-signed test servers.
    public var verifyCertificate: Bool
    /// PEM file of the CA that signed the server's certificate (default: the system's trust roots).
    public var caFile: String?
    /// Seed of the account and operation draws (each slot derives its own).
    public var seed: UInt64

    public static let defaultBase = "dc=dgfip,dc=finances,dc=gouv,dc=fr"

    public init(
        url: BenchURL, workload: Workload, connections: Int, depth: Int, duration: Double, warmup: Double = 1,
        bindDN: String? = nil, password: String? = nil, base: String = BenchSettings.defaultBase, threads: Int = 1,
        verifyCertificate: Bool = true, caFile: String? = nil, seed: UInt64 = 1
    ) {
        self.url = url
        self.workload = workload
        self.connections = connections
        self.depth = depth
        self.duration = duration
        self.warmup = warmup
        self.bindDN = bindDN
        self.password = password
        self.base = base
        self.threads = threads
        self.verifyCertificate = verifyCertificate
        self.caFile = caFile
        self.seed = seed
    }

    /// Upper bounds that keep a typo from opening a million sockets.
    public static let maximumConnections = 10_000
    public static let maximumDepth = 1_000

    public func validate() throws(BenchSettingsError) {
        guard (1...Self.maximumConnections).contains(connections) else {
            throw BenchSettingsError("--connections must be 1 to \(Self.maximumConnections), not \(connections)")
        }
        guard (1...Self.maximumDepth).contains(depth) else {
            throw BenchSettingsError("--depth must be 1 to \(Self.maximumDepth), not \(depth)")
        }
        guard workload.bindsUsers == false || connections * depth <= Self.maximumConnections else {
            throw BenchSettingsError(
                "--workload \(workload.rawValue) opens one connection per request in flight: --connections × --depth "
                    + "must be at most \(Self.maximumConnections), not \(connections * depth)")
        }
        guard duration.isFinite, duration > 0, duration <= 86_400 else {
            throw BenchSettingsError("--duration must be more than 0 and at most 86400 seconds")
        }
        guard warmup.isFinite, warmup >= 0, warmup <= 3_600 else {
            throw BenchSettingsError("--warmup must be 0 to 3600 seconds")
        }
        guard (bindDN == nil) == (password == nil) else {
            throw BenchSettingsError("--bind-dn and --password go together")
        }
        if workload == .modify || workload == .mixed, bindDN == nil {
            throw BenchSettingsError(
                "--workload \(workload.rawValue) modifies entries as --bind-dn: give --bind-dn and --password")
        }
        guard (1...64).contains(threads) else { throw BenchSettingsError("--threads must be 1 to 64") }
    }

    /// Slots run requests one after another, `requestsPerSlot` at a time. A workload that binds users gets one
    /// slot per request in flight (C × D), each with its own connection(s) and one request in flight; the others
    /// get one slot per connection with D requests pipelined on it.
    public var slotCount: Int { workload.bindsUsers ? connections * depth : connections }
    public var requestsPerSlot: Int { workload.bindsUsers ? 1 : depth }
}

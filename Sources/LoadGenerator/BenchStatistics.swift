import Histogram

/// What one slot measured; slots merge into one at the end.
public struct BenchStatistics: Sendable {
    /// Latency in microseconds, of the successful operations.
    public var latencyMicroseconds: Histogram<UInt64>
    public var successes = 0
    public var errors = 0
    /// Count of each distinct error, in the order first seen.
    public var errorCounts: [String: Int] = [:]
    public var errorOrder: [String] = []
    /// Connections lost during the run.
    public var lostConnections = 0

    /// One hour: anything slower is recorded as one hour.
    static let highestMicroseconds: UInt64 = 3_600_000_000

    public init() {
        latencyMicroseconds = Histogram(
            lowestDiscernibleValue: 1, highestTrackableValue: Self.highestMicroseconds,
            numberOfSignificantValueDigits: .three)
    }

    public mutating func recordSuccess(nanoseconds: UInt64) {
        successes += 1
        let micros = Swift.max(1, Swift.min(nanoseconds / 1_000, Self.highestMicroseconds))
        _ = latencyMicroseconds.record(micros)
    }

    public mutating func recordError(_ description: String) {
        errors += 1
        if let count = errorCounts[description] {
            errorCounts[description] = count + 1
        } else {
            errorCounts[description] = 1
            errorOrder.append(description)
        }
    }

    public mutating func merge(_ other: BenchStatistics) {
        latencyMicroseconds.add(other.latencyMicroseconds)
        successes += other.successes
        errors += other.errors
        lostConnections += other.lostConnections
        for description in other.errorOrder {
            if let count = errorCounts[description] {
                errorCounts[description] = count + (other.errorCounts[description] ?? 0)
            } else {
                errorCounts[description] = other.errorCounts[description] ?? 0
                errorOrder.append(description)
            }
        }
    }

    /// Milliseconds at a percentile of the successful operations; 0 without any.
    public func milliseconds(atPercentile percentile: Double) -> Double {
        guard successes > 0 else { return 0 }
        return Double(latencyMicroseconds.valueAtPercentile(percentile)) / 1_000
    }
}

/// The outcome of a run, and its lines.
public struct BenchResult: Sendable {
    public var workload: Workload
    /// Successful operations completed in the measured window (errors are not counted in `ops`).
    public var operations: Int
    public var seconds: Double
    public var p50Milliseconds: Double
    public var p99Milliseconds: Double
    public var errors: Int
    /// The first distinct errors with their counts.
    public var firstErrors: [(description: String, count: Int)]
    public var lostConnections: Int
    /// The generator's own CPU (user, system) over the measured window.
    public var cpuUserSeconds: Double
    public var cpuSystemSeconds: Double

    public init(
        workload: Workload, operations: Int, seconds: Double, p50Milliseconds: Double, p99Milliseconds: Double,
        errors: Int, firstErrors: [(description: String, count: Int)] = [], lostConnections: Int = 0,
        cpuUserSeconds: Double = 0, cpuSystemSeconds: Double = 0
    ) {
        self.workload = workload
        self.operations = operations
        self.seconds = seconds
        self.p50Milliseconds = p50Milliseconds
        self.p99Milliseconds = p99Milliseconds
        self.errors = errors
        self.firstErrors = firstErrors
        self.lostConnections = lostConnections
        self.cpuUserSeconds = cpuUserSeconds
        self.cpuSystemSeconds = cpuSystemSeconds
    }

    public var operationsPerSecond: Double { seconds > 0 ? Double(operations) / seconds : 0 }

    /// The generator's CPU seconds per 1,000 operations (successful or not); 0 without any.
    public var cpuSecondsPerThousand: Double {
        let count = operations + errors
        return count > 0 ? (cpuUserSeconds + cpuSystemSeconds) * 1_000 / Double(count) : 0
    }

    /// The machine-readable last line (docs/load-generator.md).
    public var resultLine: String {
        "RESULT workload=\(workload.rawValue) ops=\(operations) seconds=\(Self.fixed(seconds, 3)) "
            + "ops_per_s=\(Self.fixed(operationsPerSecond, 1)) p50_ms=\(Self.fixed(p50Milliseconds, 3)) "
            + "p99_ms=\(Self.fixed(p99Milliseconds, 3)) errors=\(errors)"
    }

    /// The line before RESULT: the generator's own cost, to show it is not the bottleneck.
    public var cpuLine: String {
        "GENERATOR cpu_s_per_1k_ops=\(Self.fixed(cpuSecondsPerThousand, 4)) user_s=\(Self.fixed(cpuUserSeconds, 3)) "
            + "system_s=\(Self.fixed(cpuSystemSeconds, 3))"
    }

    /// `value` with exactly `digits` decimals, in the C locale (a dot), whatever the environment.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let whole = UInt64(scaled)
        let divisor = UInt64(scale)
        let integerPart = whole / divisor
        var fraction = String(whole % divisor)
        while fraction.count < digits { fraction = "0" + fraction }
        let sign = value < 0 && whole != 0 ? "-" : ""
        return digits == 0 ? "\(sign)\(integerPart)" : "\(sign)\(integerPart).\(fraction)"
    }
}

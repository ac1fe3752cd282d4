import CMallocCounter

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps a value alive so the optimizer cannot drop the work that produced it.
@inline(never)
@_optimize(none)
func blackHole<T>(_ value: T) {}

/// Monotonic nanoseconds.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// How long each measurement runs, from the command line.
struct BenchmarkSettings {
    /// Minimum wall time of one run, in seconds.
    var minimumRunSeconds = 1.0
    /// Runs per workload; the median is reported.
    var runs = 5
    /// Iterations of the separate pass that counts allocations.
    var allocationIterations = 1_000
    /// Only workloads whose name contains one of these run (all when empty).
    var filters: [String] = []
    /// Only workloads with exactly one of these names run (all when empty and `filters` is empty).
    var names: [String] = []
    /// For profilers (callgrind): run each selected workload exactly this many times, untimed, and report nothing.
    var profileIterations: Int?

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--quick":
                minimumRunSeconds = 0.1
                runs = 3
            case "--min-time":
                if let value = iterator.next().flatMap(Double.init) { minimumRunSeconds = value }
            case "--runs":
                if let value = iterator.next().flatMap(Int.init), value > 0 { runs = value }
            case "--filter":
                if let value = iterator.next() { filters.append(value) }
            case "--only":
                if let value = iterator.next() { names.append(value) }
            case "--profile-iterations":
                if let value = iterator.next().flatMap(Int.init), value >= 0 { profileIterations = value }
            case "--help", "-h":
                print(
                    """
                    usage: CodecBenchmarks [--quick] [--min-time SECONDS] [--runs N]
                                           [--filter SUBSTRING]... [--only NAME]... [--profile-iterations N]
                      default: each workload warms up, then runs 5 times for >= 1 s each; the median is reported.
                      --profile-iterations N: run each selected workload N times, untimed
                        (for valgrind --tool=callgrind; instructions per operation = (Ir at 2N - Ir at N) / N).
                    """
                )
                exit(0)
            default:
                print("unknown argument \(argument); try --help")
                exit(2)
            }
        }
    }

    func selects(_ name: String) -> Bool {
        if filters.isEmpty && names.isEmpty { return true }
        return names.contains(name) || filters.contains { name.contains($0) }
    }
}

/// One workload's figures.
struct BenchmarkResult {
    var name: String
    var summary: String
    /// Median of the runs.
    var nanosecondsPerOperation: Double
    var runNanosecondsPerOperation: [Double]
    var allocationsPerOperation: Double
    var reallocationsPerOperation: Double
    var allocatedBytesPerOperation: Double
    var freesPerOperation: Double
    /// Size of the encoded message the workload reads or writes.
    var bytes: Int
    var iterationsPerRun: Int
}

/// Runs the workloads and collects their results.
struct BenchmarkRunner {
    var settings: BenchmarkSettings
    var results: [BenchmarkResult] = []

    /// Measures `body`, which must perform the operation `iterations` times.
    ///
    /// Warm-up until 0.2 s (at least 100 iterations) also sizes the runs; then one pass with the
    /// allocation counter on; then `runs` timed passes of at least `minimumRunSeconds` each.
    mutating func measure(
        _ name: String,
        _ summary: String,
        bytes: Int,
        _ body: (_ iterations: Int) throws -> Void
    ) rethrows {
        guard settings.selects(name) else { return }
        if let profileIterations = settings.profileIterations {
            try body(profileIterations)
            return
        }

        // Warm-up: caches, branch predictors, buffer capacities, lazily initialised globals.
        var warmIterations = 100
        var elapsed: UInt64 = 0
        while true {
            let start = monotonicNanoseconds()
            try body(warmIterations)
            elapsed = monotonicNanoseconds() - start
            if elapsed >= 200_000_000 { break }
            warmIterations *= 2
        }
        let estimate = Double(elapsed) / Double(warmIterations)

        // Exact allocation counts, in a pass of their own so the counter's atomics stay out of the timings.
        let allocationIterations = settings.allocationIterations
        cmalloc_counter_reset()
        cmalloc_counter_set_enabled(1)
        try body(allocationIterations)
        cmalloc_counter_set_enabled(0)
        let perOperation = { (count: UInt64) in Double(count) / Double(allocationIterations) }
        let allocations = perOperation(cmalloc_counter_allocations())
        let reallocations = perOperation(cmalloc_counter_reallocations())
        let allocatedBytes = perOperation(cmalloc_counter_allocated_bytes())
        let frees = perOperation(cmalloc_counter_frees())

        // Timed runs.
        let iterations = max(1, Int((settings.minimumRunSeconds * 1e9 / estimate).rounded(.up)))
        var runTimes: [Double] = []
        for _ in 0..<settings.runs {
            let start = monotonicNanoseconds()
            try body(iterations)
            let runElapsed = monotonicNanoseconds() - start
            runTimes.append(Double(runElapsed) / Double(iterations))
        }
        let sorted = runTimes.sorted()
        let median =
            sorted.count % 2 == 1
            ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2

        let result = BenchmarkResult(
            name: name,
            summary: summary,
            nanosecondsPerOperation: median,
            runNanosecondsPerOperation: runTimes,
            allocationsPerOperation: allocations,
            reallocationsPerOperation: reallocations,
            allocatedBytesPerOperation: allocatedBytes,
            freesPerOperation: frees,
            bytes: bytes,
            iterationsPerRun: iterations
        )
        results.append(result)
        print(result.benchLine)
        fflush(nil)
    }
}

extension BenchmarkResult {
    /// The machine-readable line.
    var benchLine: String {
        "BENCH name=\(name) ns_per_op=\(format(nanosecondsPerOperation, decimals: 1))"
            + " allocs_per_op=\(format(allocationsPerOperation, decimals: 2)) bytes=\(bytes)"
            + " alloc_bytes_per_op=\(format(allocatedBytesPerOperation, decimals: 0))"
            + " reallocs_per_op=\(format(reallocationsPerOperation, decimals: 2))"
            + " frees_per_op=\(format(freesPerOperation, decimals: 2))"
            + " runs_ns=\(runNanosecondsPerOperation.map { format($0, decimals: 1) }.joined(separator: ","))"
            + " iterations_per_run=\(iterationsPerRun)"
    }
}

/// Fixed-point formatting without Foundation.
func format(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value * scale).rounded()
    let negative = scaled < 0
    let magnitude = Int64(abs(scaled))
    var text = String(magnitude)
    if decimals > 0 {
        while text.count <= decimals { text = "0" + text }
        text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
    }
    return negative ? "-" + text : text
}

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    guard text.count < width else { return text }
    let padding = String(repeating: " ", count: width - text.count)
    return right ? padding + text : text + padding
}

/// Prints the results as a Markdown table.
func printTable(_ results: [BenchmarkResult]) {
    let header = [("workload", 46), ("ns/op (median)", 15), ("allocs/op", 10), ("alloc B/op", 11), ("bytes", 6)]
    print("| " + header.map { pad($0.0, $0.1) }.joined(separator: " | ") + " |")
    print(
        "|"
            + header.enumerated().map { index, column in
                index == 0
                    ? String(repeating: "-", count: column.1 + 2) : String(repeating: "-", count: column.1 + 1) + ":"
            }.joined(separator: "|") + "|")
    for result in results {
        let cells = [
            pad(result.name, 46),
            pad(format(result.nanosecondsPerOperation, decimals: 1), 15, right: true),
            pad(format(result.allocationsPerOperation, decimals: 2), 10, right: true),
            pad(format(result.allocatedBytesPerOperation, decimals: 0), 11, right: true),
            pad(String(result.bytes), 6, right: true),
        ]
        print("| " + cells.joined(separator: " | ") + " |")
    }
}

/// The contents of a small text file (under /proc), or nil.
func readTextFile(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { break }
        bytes += chunk[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The 1-minute load average; timings taken while other processes keep both cores busy are not comparable.
func loadAverage() -> String {
    readTextFile("/proc/loadavg").map { String($0.split(separator: " ").prefix(3).joined(separator: " ")) } ?? "n/a"
}

/// CPU model and count, for the report header.
func machineSummary() -> String {
    let model =
        readTextFile("/proc/cpuinfo")?
        .split(separator: "\n")
        .first { $0.hasPrefix("model name") }?
        .split(separator: ":", maxSplits: 1).last?
        .trimmingPrefix(" ") ?? "unknown CPU"
    return "\(model), \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) online CPUs"
}

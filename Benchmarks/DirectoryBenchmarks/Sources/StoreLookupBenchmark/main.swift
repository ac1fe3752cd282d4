// Indexed equality lookup latency of `DirectoryStore.search` on an imported database (issue 3, point 9).
//
//     StoreLookupBenchmark --data-dir DIR --schema-directory DIR --ldif FILE [--lookups N] [--suffix DN]
//
// Takes the people's `uid` values from the LDIF the database was imported from, then runs subtree searches from the
// suffix for `(uid=v)` and `(aspasieIdentifier=v)` alternately, on values drawn at random (fixed seed): each must
// return exactly one entry, found through the index (checked on the first one). One thread, then two threads at
// once; per lookup latency (p50, p99) and lookups per second. Prints a Markdown table.
//
// Opens the data directory for writing (as the server would, `DirectoryStore` records its layout at open): run it
// on a copy or a benchmark database, never beside a server.
import Dispatch
import LDAPProtocol
import Schema
import Storage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Options {
    var dataDirectory = ""
    var schemaDirectory = ""
    var ldif = ""
    var lookups = 20_000
    var suffix = "dc=dgfip,dc=finances,dc=gouv,dc=fr"
    var schemaFiles = ["system", "core", "cosine", "inetorgperson", "ppolicy", "aspasie"]

    init(arguments: [String]) throws(UsageError) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            guard let value = iterator.next() else { throw UsageError("\(argument) needs a value") }
            switch argument {
            case "--data-dir": dataDirectory = value
            case "--schema-directory": schemaDirectory = value
            case "--ldif": ldif = value
            case "--suffix": suffix = value
            case "--lookups":
                guard let number = Int(value), number > 0 else { throw UsageError("--lookups: a positive number") }
                lookups = number
            default: throw UsageError("unknown option \(argument)")
            }
        }
        guard !dataDirectory.isEmpty, !schemaDirectory.isEmpty, !ldif.isEmpty else {
            throw UsageError("--data-dir, --schema-directory and --ldif are required")
        }
    }
}

struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A failure worth stopping the benchmark for (a lookup that does not find its one entry means a broken index).
struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// SplitMix64: the same draws on every run and platform.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The `uid` values of `dn: uid=…,ou=people,…` lines (plain, not base64).
func peopleUIDs(ldif path: String) throws -> [String] {
    guard let file = fopen(path, "r") else { throw BenchmarkFailure("cannot open \(path)") }
    defer { fclose(file) }
    var uids: [String] = []
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    while getline(&line, &capacity, file) > 0 {
        guard let line else { break }
        let text = String(cString: line)
        guard text.hasPrefix("dn: uid="), text.contains(",ou=people,") else { continue }
        let value = text.dropFirst("dn: uid=".count).prefix { $0 != "," }
        uids.append(String(value))
    }
    free(line)
    return uids
}

/// The results buffer of the two-thread run: each thread writes its own half.
struct SharedLatencies: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<UInt64>
}

/// Runs `count` lookups of `values[order[…]]` from `start`; the latency of each (ns) into `latencies`.
func lookups(
    store: DirectoryStore, base: DistinguishedName, values: [String], order: ArraySlice<Int>,
    latencies: UnsafeMutableBufferPointer<UInt64>
) throws {
    for (slot, index) in order.enumerated() {
        let attribute = index % 2 == 0 ? "uid" : "aspasieIdentifier"
        let filter = Filter.equalityMatch(AttributeValueAssertion(attribute, values[index]))
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let result = try store.search(base: base, scope: .wholeSubtree, filter: filter)
        clock_gettime(CLOCK_MONOTONIC, &end)
        guard result.entries.count == 1 else {
            throw BenchmarkFailure("(\(attribute)=\(values[index])) found \(result.entries.count) entries, not 1")
        }
        latencies[slot] = UInt64((end.tv_sec - start.tv_sec) * 1_000_000_000 + (end.tv_nsec - start.tv_nsec))
    }
}

func percentile(_ sorted: [UInt64], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
    return Double(sorted[max(0, rank)]) / 1000
}

func seconds(_ start: timespec, _ end: timespec) -> Double {
    Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}

func run() throws {
    let options = try Options(arguments: CommandLine.arguments)
    let context = SchemaContext(
        schema: try Schema(files: options.schemaFiles.map { options.schemaDirectory + "/" + $0 + ".schema" }))
    let suffix = try DistinguishedName(options.suffix)
    let environment = try LMDBEnvironment(directory: options.dataDirectory, configuration: LMDBConfiguration())
    let store = try DirectoryStore(environment: environment, context: context, namingContexts: [suffix])
    let values = try peopleUIDs(ldif: options.ldif)
    guard !values.isEmpty else { throw BenchmarkFailure("no people in \(options.ldif)") }

    // The lookups must go through the index: checked on one, with the explanation.
    let probe = try store.search(
        base: suffix, scope: .wholeSubtree, filter: .equalityMatch(AttributeValueAssertion("uid", values[0])))
    guard probe.entries.count == 1, !probe.explanation.indexesUsed.isEmpty, probe.explanation.entriesExamined == 1
    else {
        throw BenchmarkFailure("(uid=\(values[0])) is not answered from the index: \(probe.explanation)")
    }

    var generator = SplitMix64(state: 1)
    let count = options.lookups
    let order = (0..<(2 * count)).map { _ in Int.random(in: 0..<values.count, using: &generator) }
    // Warm-up: the database pages and the allocator, untimed.
    var warmUp = [UInt64](repeating: 0, count: min(count, 5_000))
    try warmUp.withUnsafeMutableBufferPointer { buffer in
        try lookups(store: store, base: suffix, values: values, order: order[0..<buffer.count], latencies: buffer)
    }

    print("Indexed equality lookups: \(values.count) people, \(count) lookups per run, `DirectoryStore.search`")
    print("(subtree from the suffix, `(uid=v)` / `(aspasieIdentifier=v)` alternately, one entry each)\n")
    print("| threads | lookups | p50 µs | p99 µs | lookups/s |")
    print("|--:|--:|--:|--:|--:|")

    // One thread.
    var single = [UInt64](repeating: 0, count: count)
    var start = timespec()
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    try single.withUnsafeMutableBufferPointer { buffer in
        try lookups(store: store, base: suffix, values: values, order: order[0..<count], latencies: buffer)
    }
    clock_gettime(CLOCK_MONOTONIC, &end)
    single.sort()
    print(
        "| 1 | \(count) | \(format(percentile(single, 0.5))) | \(format(percentile(single, 0.99))) | "
            + "\(Int((Double(count) / seconds(start, end)).rounded())) |")

    // Two threads, each `count` lookups (different values).
    let both = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * count)
    defer { both.deallocate() }
    both.initialize(repeating: 0)
    let shared = SharedLatencies(base: both)
    let failures = UnsafeMutableBufferPointer<String?>.allocate(capacity: 2)
    defer { failures.deallocate() }
    failures.initialize(repeating: nil)
    let sharedFailures = SharedFailures(base: failures)
    clock_gettime(CLOCK_MONOTONIC, &start)
    DispatchQueue.concurrentPerform(iterations: 2) { part in
        let range = (part * count)..<((part + 1) * count)
        do {
            try lookups(
                store: store, base: suffix, values: values, order: order[range],
                latencies: UnsafeMutableBufferPointer(rebasing: shared.base[range]))
        } catch {
            sharedFailures.base[part] = "\(error)"
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end)
    if let failure = failures.compactMap({ $0 }).first { throw BenchmarkFailure(failure) }
    let pair = Array(both).sorted()
    print(
        "| 2 | \(2 * count) | \(format(percentile(pair, 0.5))) | \(format(percentile(pair, 0.99))) | "
            + "\(Int((Double(2 * count) / seconds(start, end)).rounded())) |")
}

struct SharedFailures: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<String?>
}

func format(_ microseconds: Double) -> String {
    let tenths = Int((microseconds * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

do {
    try run()
} catch {
    let message = Array("StoreLookupBenchmark: \(error)\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

import LDAPProtocol
import NIOCore
import NIOPosix

/// Runs a load: connects every slot, runs the warm-up then the measured window, waits for the answers
/// still outstanding, and merges what the slots measured.
public enum BenchRunner {
    /// How long after the end of the window outstanding requests may take before their connections are closed.
    static let drainSeconds: Int64 = 30

    /// `progress` receives lines for people (connection set-up, phases).
    public static func run(
        settings: BenchSettings, accounts: [BenchAccount], progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> BenchResult {
        try settings.validate()
        let people = Credentials.people(accounts)
        guard !people.isEmpty else { throw BenchSettingsError("the credentials file has no accounts") }
        let connector = try Connector(
            url: settings.url, verifyCertificate: settings.verifyCertificate, caFile: settings.caFile)
        let plan = SlotPlan(
            workload: settings.workload, requestsInFlight: settings.requestsPerSlot, accounts: people,
            base: ByteBuffer(string: settings.base), bindDN: settings.bindDN, password: settings.password,
            connector: connector)

        let group = MultiThreadedEventLoopGroup(numberOfThreads: settings.threads)
        do {
            let result = try await measure(settings: settings, plan: plan, group: group, progress: progress)
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func measure(
        settings: BenchSettings, plan: SlotPlan, group: MultiThreadedEventLoopGroup,
        progress: @Sendable (String) -> Void
    ) async throws -> BenchResult {
        var slots: [Slot] = []
        var seeds = SplitMix64(seed: settings.seed)
        for _ in 0..<settings.slotCount {
            slots.append(Slot(eventLoop: group.next(), plan: plan, seed: seeds.next()))
        }
        let connecting = slots.map { $0.connect() }
        do {
            try await EventLoopFuture.andAllSucceed(connecting, on: group.next()).get()
        } catch let error as BenchSettingsError {
            for slot in slots { slot.abort() }
            throw error
        } catch {
            for slot in slots { slot.abort() }
            throw BenchSettingsError("cannot connect to \(settings.url): \(error)")
        }
        let connectionCount = slots.count * (plan.workload.bindsUsers && plan.workload.usesServiceConnection ? 2 : 1)
        progress(
            "bench: \(settings.workload.rawValue) against \(settings.url), \(slots.count) slot(s) × "
                + "\(plan.requestsInFlight) in flight, \(connectionCount) connection(s), \(plan.accounts.count) "
                + "accounts, warm-up \(settings.warmup) s, measured \(settings.duration) s")

        let start = NIODeadline.now().uptimeNanoseconds
        let warmupEnd = start + UInt64(settings.warmup * 1e9)
        let end = warmupEnd + UInt64(settings.duration * 1e9)
        let phases = Phases(warmupEnd: warmupEnd, end: end)
        for slot in slots { slot.start(phases) }

        try await sleep(until: warmupEnd)
        let cpuBefore = ProcessCPU.now()
        try await sleep(until: end)
        let cpuAfter = ProcessCPU.now()

        // Requests outstanding at the end still get their answer (not counted); a server that does not answer
        // within drainSeconds has its connections closed.
        let allDone = EventLoopFuture.andAllComplete(slots.map(\.done), on: group.next())
        let deadline = group.next().scheduleTask(in: .seconds(drainSeconds)) {
            for slot in slots { slot.abort() }
        }
        try await allDone.get()
        deadline.cancel()

        var total = BenchStatistics()
        for slot in slots {
            total.merge(try await slot.eventLoop.submit { slot.statistics }.get())
        }
        let firstErrors = total.errorOrder.prefix(5).map { (description: $0, count: total.errorCounts[$0] ?? 0) }
        return BenchResult(
            workload: settings.workload, operations: total.successes, seconds: Double(end - warmupEnd) / 1e9,
            p50Milliseconds: total.milliseconds(atPercentile: 50), p99Milliseconds: total.milliseconds(atPercentile: 99),
            errors: total.errors, firstErrors: Array(firstErrors), lostConnections: total.lostConnections,
            cpuUserSeconds: cpuAfter.user - cpuBefore.user, cpuSystemSeconds: cpuAfter.system - cpuBefore.system)
    }

    private static func sleep(until uptime: UInt64) async throws {
        let now = NIODeadline.now().uptimeNanoseconds
        if uptime > now { try await Task.sleep(nanoseconds: uptime - now) }
    }
}

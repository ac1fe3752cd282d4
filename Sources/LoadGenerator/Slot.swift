import LDAPProtocol
import NIOCore

/// When the run measures, in `NIODeadline` uptime nanoseconds.
struct Phases: Sendable {
    var warmupEnd: UInt64
    var end: UInt64
}

/// What the slots of a run share.
struct SlotPlan: Sendable {
    let workload: Workload
    let requestsInFlight: Int
    let accounts: [BenchAccount]
    let base: ByteBuffer
    let bindDN: String?
    let password: String?
    let connector: Connector
}

/// A unit of load: its own connection(s) and `requestsInFlight` requests outstanding at a time, each issued as
/// soon as the previous one completes (closed loop). Workloads that bind users have one request in flight and
/// a user connection; searches and modifies go to a service connection bound once as --bind-dn.
/// Confined to its event loop: every method runs there (hence the unchecked Sendable).
final class Slot: @unchecked Sendable {
    let eventLoop: any EventLoop
    private let plan: SlotPlan
    private var random: SplitMix64
    private let picker: WorkloadPicker
    private var userConnection: LDAPClientConnection?
    private var serviceConnection: LDAPClientConnection?
    private var phases: Phases?
    private var inFlight = 0
    private var stopped = false
    private var isFinished = false
    private var modifyCounter: UInt64 = 0
    private(set) var statistics = BenchStatistics()
    private let finished: EventLoopPromise<Void>

    init(eventLoop: any EventLoop, plan: SlotPlan, seed: UInt64) {
        self.eventLoop = eventLoop
        self.plan = plan
        self.random = SplitMix64(seed: seed)
        self.picker = WorkloadPicker(plan.workload)
        self.finished = eventLoop.makePromise()
    }

    /// Completes when the slot has stopped issuing and every request it sent has its answer.
    var done: EventLoopFuture<Void> { finished.futureResult }

    /// Opens the connections and binds the service one; fails with a sentence for the operator.
    func connect() -> EventLoopFuture<Void> {
        eventLoop.flatSubmit { self.connectOnLoop() }
    }

    private func connectOnLoop() -> EventLoopFuture<Void> {
        let connector = plan.connector
        var steps: [EventLoopFuture<Void>] = []
        if plan.workload.bindsUsers {
            steps.append(connector.connect(on: eventLoop).map { self.userConnection = $0 })
        }
        if plan.workload.usesServiceConnection {
            let service = connector.connect(on: eventLoop).flatMap { connection -> EventLoopFuture<Void> in
                self.serviceConnection = connection
                guard let dn = self.plan.bindDN, let password = self.plan.password else {
                    return self.eventLoop.makeSucceededVoidFuture()
                }
                let promise = self.eventLoop.makePromise(of: Void.self)
                connection.send(Self.bindRequest(dn: dn, password: password)) { outcome in
                    switch outcome {
                    case .result(.success, _): promise.succeed(())
                    case .result(let code, _):
                        promise.fail(BenchSettingsError("the bind as --bind-dn \(dn) failed: \(code)"))
                    case .connectionLost(let reason):
                        promise.fail(BenchSettingsError("the bind as --bind-dn \(dn) failed: \(reason)"))
                    }
                }
                return promise.futureResult
            }
            steps.append(service)
        }
        return EventLoopFuture.andAllSucceed(steps, on: eventLoop)
    }

    /// Starts issuing requests.
    func start(_ phases: Phases) {
        eventLoop.execute {
            self.phases = phases
            for _ in 0..<self.plan.requestsInFlight { self.issue() }
            self.finishIfIdle()
        }
    }

    /// Closes the connections now: what is outstanding fails and the slot finishes.
    func abort() {
        eventLoop.execute {
            self.stopped = true
            self.userConnection?.close()
            self.serviceConnection?.close()
            self.finishIfIdle()
        }
    }

    private func issue() {
        guard let phases, !stopped else { return }
        let started = NIODeadline.now().uptimeNanoseconds
        guard started < phases.end else { return }
        let kind = picker.next(using: &random)
        let account = plan.accounts[WorkloadPicker.accountIndex(count: plan.accounts.count, using: &random)]
        inFlight += 1
        perform(kind, account) { failure in
            self.inFlight -= 1
            let now = NIODeadline.now().uptimeNanoseconds
            if case .connectionLost = failure {
                // A lost connection stops the slot: an error whenever it happens, warm-up included.
                self.statistics.recordError(failure?.description ?? "")
            } else if started >= phases.warmupEnd, now <= phases.end {
                if let failure {
                    self.statistics.recordError(failure.description)
                } else {
                    self.statistics.recordSuccess(nanoseconds: now - started)
                }
            }
            if case .connectionLost = failure {
                if !self.stopped { self.statistics.lostConnections += 1 }
                self.stopped = true
            }
            self.issue()
            self.finishIfIdle()
        }
    }

    private func finishIfIdle() {
        guard inFlight == 0, !isFinished else { return }
        if stopped || NIODeadline.now().uptimeNanoseconds >= (phases?.end ?? UInt64.max) {
            stopped = true
            isFinished = true
            userConnection?.close()
            serviceConnection?.close()
            finished.succeed(())
        }
    }

    /// Why an operation did not succeed.
    enum Failure: CustomStringConvertible {
        case result(OperationKind, String, ResultCode)
        case entries(OperationKind, Int)
        case connectionLost(String)

        var description: String {
            switch self {
            case .result(let kind, let step, let code): "\(kind.rawValue) \(step): \(code) (\(code.rawValue))"
            case .entries(let kind, let count): "\(kind.rawValue): \(count) entries instead of 1"
            case .connectionLost(let reason): reason
            }
        }
    }

    private func perform(_ kind: OperationKind, _ account: BenchAccount, done: @escaping (Failure?) -> Void) {
        switch kind {
        case .searchUID:
            send(serviceConnection, Self.uidSearch(account.identifier, base: plan.base)) { outcome in
                done(Self.check(outcome, kind, "search", entries: 1))
            }
        case .bind:
            send(userConnection, Self.bindRequest(dn: account.dn, password: account.password)) { outcome in
                done(Self.check(outcome, kind, "bind", entries: nil))
            }
        case .login:
            let connection = userConnection
            send(connection, Self.bindRequest(dn: account.dn, password: account.password)) { outcome in
                if let failure = Self.check(outcome, kind, "bind", entries: nil) {
                    done(failure)
                    return
                }
                self.send(connection, Self.ownEntryRead(account.dn)) { outcome in
                    done(Self.check(outcome, kind, "read", entries: 1))
                }
            }
        case .modify:
            modifyCounter &+= 1
            let change = ModifyRequest.Change(
                operation: .replace, modification: PartialAttribute("description", ["bench \(modifyCounter)"]))
            let request = ModifyRequest(object: ByteBuffer(string: account.dn), changes: [change])
            send(serviceConnection, .modifyRequest(request)) { outcome in
                done(Self.check(outcome, kind, "modify", entries: nil))
            }
        }
    }

    private func send(
        _ connection: LDAPClientConnection?, _ operation: ProtocolOperation,
        completion: @escaping (RequestOutcome) -> Void
    ) {
        guard let connection else {
            completion(.connectionLost("no connection for this operation"))
            return
        }
        connection.send(operation, completion: completion)
    }

    private static func check(_ outcome: RequestOutcome, _ kind: OperationKind, _ step: String, entries: Int?) -> Failure? {
        switch outcome {
        case .connectionLost(let reason): return .connectionLost(reason)
        case .result(let code, let count):
            guard code == .success else { return .result(kind, step, code) }
            if let entries, count != entries { return .entries(kind, count) }
            return nil
        }
    }

    static func bindRequest(dn: String, password: String) -> ProtocolOperation {
        .bindRequest(BindRequest(name: ByteBuffer(string: dn), authentication: .simple(ByteBuffer(string: password))))
    }

    /// The attributes a portal shows from a lookup.
    static let searchAttributes = ["uid", "cn", "mail"].map { ByteBuffer(string: $0) }

    static func uidSearch(_ identifier: String, base: ByteBuffer) -> ProtocolOperation {
        .searchRequest(
            SearchRequest(
                baseObject: base, scope: .wholeSubtree, sizeLimit: 2,
                filter: .equalityMatch(AttributeValueAssertion("uid", identifier)), attributes: searchAttributes))
    }

    /// The sign-in's read of the bound user's own entry: every user attribute it may read.
    static func ownEntryRead(_ dn: String) -> ProtocolOperation {
        .searchRequest(
            SearchRequest(
                baseObject: ByteBuffer(string: dn), scope: .baseObject,
                filter: .present(ByteBuffer(string: "objectClass"))))
    }
}

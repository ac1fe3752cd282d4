import AccessControl
import Directory
import Foundation
import LDAPProtocol
import NIOCore
import Schema
import Storage

/// The shipped schema, loaded once.
enum TestSchema {
    static let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schema").path
    private static let built = Result { () throws -> SchemaContext in
        SchemaContext(schema: try Schema(directory: directory))
    }

    static func context() throws -> SchemaContext { try built.get() }
}

/// A clock the test moves: wall time starts at 2025-01-02T03:04:05Z; each reading of the monotonic clock
/// advances it by `step` nanoseconds (0: frozen).
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var microseconds: Int64 = 1_735_787_045_000_000
    private var nanoseconds: Int64 = 0
    let step: Int64

    init(step: Int64 = 0) { self.step = step }

    /// Moves the wall clock forward.
    func advance(seconds: Int64) {
        lock.withLock { microseconds += seconds * 1_000_000 }
    }

    var clock: DirectoryClock {
        DirectoryClock(
            microsecondsSince1970: { self.lock.withLock { self.microseconds } },
            monotonicNanoseconds: {
                self.lock.withLock {
                    self.nanoseconds += self.step
                    return self.nanoseconds
                }
            })
    }
}

let rootDNText = "cn=admin,dc=example,dc=com"
let peopleDN = "ou=people,dc=example,dc=com"

/// A directory over a fresh store holding `dc=example,dc=com`, `ou=people` and the people `alice` (password
/// `alicepw`, cleartext), `bob` (`{SSHA}` of `secret`) and `carol` (no password).
final class TestDirectory {
    let service: DirectoryService
    let store: DirectoryStore
    let clock: ManualClock
    private let directory: URL
    private var nextID: Int32 = 1

    /// `accessRules`: a rule file's text (`${suffix}` is dc=example,dc=com); `nil` for access control off.
    init(
        sizeLimit: Int = 500, timeLimit: Int = 3600, clock: ManualClock = ManualClock(), people: Int = 0,
        accessRules: String? = nil, passwordStorage: PasswordStorage = PasswordStorage(),
        passwordPolicy: PasswordPolicySettings = PasswordPolicySettings(),
        selfServiceReset: SelfServiceResetSettings? = nil
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("annuaire-dir-\(UUID().uuidString)")
        var lmdb = LMDBConfiguration(mapSize: 32 << 20, maxMapSize: 1 << 30, growthThreshold: nil)
        lmdb.durability = .noSync
        let environment = try LMDBEnvironment(directory: directory.path, configuration: lmdb)
        let suffix = try DistinguishedName("dc=example,dc=com")
        store = try DirectoryStore(environment: environment, context: try TestSchema.context(), namingContexts: [suffix])
        self.clock = clock
        let policy = try accessRules.map { text in
            try AccessPolicy(
                text: text, file: "test.rules", variables: ["suffix": "dc=example,dc=com"],
                context: try TestSchema.context())
        }
        var configuration = DirectoryConfiguration(
            namingContexts: [suffix], rootDN: try DistinguishedName(rootDNText), rootPassword: "{SSHA}lHFzXul4wnzRItssVcTnvXWRjNgBAgMEBQYHCA==",
            sizeLimit: sizeLimit, timeLimit: timeLimit, vendorVersion: "9.9", clock: clock.clock,
            accessPolicy: policy, passwordStorage: passwordStorage, passwordPolicy: passwordPolicy)
        configuration.selfServiceReset = selfServiceReset
        service = DirectoryService(store: store, configuration: configuration)
        let root = ConnectionInfo.root
        try expectSuccess(add("dc=example,dc=com", [("objectClass", ["top", "domain"]), ("dc", ["example"])], as: root))
        try expectSuccess(add(peopleDN, [("objectClass", ["organizationalUnit"]), ("ou", ["people"])], as: root))
        try expectSuccess(addPerson("alice", password: "alicepw"))
        try expectSuccess(addPerson("bob", password: "{SSHA}lHFzXul4wnzRItssVcTnvXWRjNgBAgMEBQYHCA=="))
        try expectSuccess(addPerson("carol", password: nil))
        for index in 0..<people { try expectSuccess(addPerson(String(format: "p%04d", index), password: nil)) }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func addPerson(_ uid: String, password: String?) throws -> OperationOutcome {
        var attributes = [
            ("objectClass", ["inetOrgPerson"]), ("uid", [uid]), ("cn", ["Person \(uid)"]), ("sn", ["Martin"]),
        ]
        if let password { attributes.append(("userPassword", [password])) }
        return try add("uid=\(uid),\(peopleDN)", attributes, as: .root)
    }

    /// Performs `operation` with `controls` on `connection`; returns the outcome and the messages sent before it.
    func perform(
        _ operation: ProtocolOperation, controls: [LDAPControl] = [], as connection: ConnectionInfo,
        cancellation: OperationCancellation = OperationCancellation(),
        onSend: (LDAPMessage) -> Void = { _ in }
    ) -> (outcome: OperationOutcome, sent: [LDAPMessage]) {
        nextID += 1
        var sent: [LDAPMessage] = []
        let outcome = service.perform(
            LDAPMessage(messageID: nextID, protocolOp: operation, controls: controls), connection: connection,
            cancellation: cancellation, send: { message in sent.append(message); onSend(message) })
        return (outcome, sent)
    }

    func add(_ dn: String, _ attributes: [(String, [String])], controls: [LDAPControl] = [], as connection: ConnectionInfo)
        throws -> OperationOutcome
    {
        let request = AddRequest(entry: ByteBuffer(string: dn), attributes: attributes.map { PartialAttribute($0.0, $0.1) })
        return perform(.addRequest(request), controls: controls, as: connection).outcome
    }

    func search(
        _ base: String, scope: SearchRequest.Scope = .wholeSubtree, filter: String = "(objectClass=*)",
        attributes: [String] = [], sizeLimit: Int32 = 0, timeLimit: Int32 = 0, typesOnly: Bool = false,
        controls: [LDAPControl] = [], as connection: ConnectionInfo = .anonymousLoopback,
        cancellation: OperationCancellation = OperationCancellation(), onSend: (LDAPMessage) -> Void = { _ in }
    ) throws -> (result: LDAPResult?, entries: [SearchResultEntry], controls: [LDAPControl], outcome: OperationOutcome) {
        let request = SearchRequest(
            baseObject: ByteBuffer(string: base), scope: scope, sizeLimit: sizeLimit, timeLimit: timeLimit,
            typesOnly: typesOnly, filter: try Filter(string: filter), attributes: attributes.map { ByteBuffer(string: $0) })
        let (outcome, sent) = perform(
            .searchRequest(request), controls: controls, as: connection, cancellation: cancellation, onSend: onSend)
        let entries = sent.compactMap { message -> SearchResultEntry? in
            if case .searchResultEntry(let entry) = message.protocolOp { return entry }
            return nil
        }
        guard let response = outcome.response else { return (nil, entries, [], outcome) }
        guard case .searchResultDone(let result) = response.protocolOp else { throw TestFailure("not a SearchResultDone") }
        return (result, entries, response.controls, outcome)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func expectSuccess(_ outcome: OperationOutcome) throws {
    guard outcome.log.resultCode == .success else {
        throw TestFailure("expected success, got \(outcome.log.resultCode): \(String(describing: outcome.response))")
    }
}

/// The LDAPResult of any response.
func result(of outcome: OperationOutcome) -> LDAPResult? {
    switch outcome.response?.protocolOp {
    case .bindResponse(let response): return response.result
    case .extendedResponse(let response): return response.result
    case .searchResultDone(let result), .compareResponse(let result), .addResponse(let result),
        .delResponse(let result), .modifyResponse(let result), .modifyDNResponse(let result):
        return result
    default: return nil
    }
}

extension ConnectionInfo {
    static var anonymousLoopback: ConnectionInfo {
        ConnectionInfo(connectionID: 1, peer: "127.0.0.1:40000", isLoopback: true, isTLS: false)
    }

    static var root: ConnectionInfo {
        var connection = anonymousLoopback
        connection.identity = .rootDN(try! DistinguishedName(rootDNText))
        return connection
    }

    static func entry(_ uid: String) -> ConnectionInfo {
        var connection = anonymousLoopback
        connection.identity = .entry(try! DistinguishedName("uid=\(uid),\(peopleDN)"))
        return connection
    }
}

extension SearchResultEntry {
    var dn: String { String(buffer: objectName) }

    /// Values of the attribute named exactly `name` (case-insensitive).
    func values(_ name: String) -> [String]? {
        attributes.first { String(buffer: $0.type).lowercased() == name.lowercased() }?.values.map { String(buffer: $0) }
    }

    var attributeNames: [String] { attributes.map { String(buffer: $0.type) } }
}

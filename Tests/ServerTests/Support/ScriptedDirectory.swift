import Directory
import Foundation
import LDAPProtocol
import NIOCore
import Synchronization

/// A test double of the directory, for the connection layer: searches answer with as many entries as the base
/// asks (`entries=N,delay=MS,padding=BYTES`), checking cancellation between entries; compares and modifies sleep
/// `delay=MS` (modifies ignore cancellation, like a write in progress); binds succeed except for `cn=bad…`;
/// Who am I? answers `TLS|CLEAR dn:<bound DN>`. It records what it saw.
final class ScriptedDirectory: OperationHandler {
    struct Stats {
        var running = 0
        var maximumRunning = 0
        var cancelledSearches = 0
        var completedSearches = 0
        var entriesSent = 0
        var performed: [Int32] = []
        var writerThreads: Set<String> = []
    }

    let stats = Mutex(Stats())

    /// A copy of the statistics.
    var snapshot: Stats { stats.withLock { $0 } }

    func isWrite(_ message: LDAPMessage) -> Bool {
        switch message.protocolOp {
        case .modifyRequest, .addRequest, .delRequest, .modifyDNRequest: true
        default: false
        }
    }

    func perform(
        _ message: LDAPMessage, connection: ConnectionInfo, cancellation: OperationCancellation,
        send: (LDAPMessage) -> Void
    ) -> OperationOutcome {
        stats.withLock { stats in
            stats.running += 1
            stats.maximumRunning = max(stats.maximumRunning, stats.running)
            stats.performed.append(message.messageID)
        }
        defer { stats.withLock { $0.running -= 1 } }
        let id = message.messageID
        switch message.protocolOp {
        case .bindRequest(let request):
            let name = String(buffer: request.name)
            let parameters = Self.parameters(name)
            Self.sleep(milliseconds: parameters["delay"] ?? 0)
            if name.hasPrefix("cn=bad") {
                return OperationOutcome(
                    response: LDAPMessage(messageID: id, protocolOp: .bindResponse(BindResponse(result: LDAPResult(.invalidCredentials)))),
                    newIdentity: .anonymous,
                    log: AccessLogFields(operation: "BIND", dn: name, resultCode: .invalidCredentials))
            }
            let dn = (try? DistinguishedName(name)) ?? DistinguishedName(rdns: [])
            return OperationOutcome(
                response: LDAPMessage(messageID: id, protocolOp: .bindResponse(BindResponse(result: LDAPResult(.success)))),
                newIdentity: name.isEmpty ? .anonymous : .entry(dn),
                log: AccessLogFields(operation: "BIND", dn: name, resultCode: .success))
        case .searchRequest(let request):
            let base = String(buffer: request.baseObject)
            let parameters = Self.parameters(base)
            let padding = String(repeating: "x", count: parameters["padding"] ?? 0)
            var sent = 0
            for index in 0..<(parameters["entries"] ?? 0) {
                Self.sleep(milliseconds: parameters["delay"] ?? 0)
                if cancellation.isCancelled {
                    stats.withLock { $0.cancelledSearches += 1 }
                    return OperationOutcome(
                        response: nil,
                        log: AccessLogFields(operation: "SRCH", dn: base, resultCode: .canceled, entriesReturned: sent))
                }
                send(LDAPMessage(
                    messageID: id,
                    protocolOp: .searchResultEntry(SearchResultEntry(
                        objectName: ByteBuffer(string: "cn=entry\(index)"),
                        attributes: [PartialAttribute("cn", ["entry\(index)"]), PartialAttribute("description", [padding])]))))
                sent += 1
                stats.withLock { $0.entriesSent += 1 }
            }
            stats.withLock { $0.completedSearches += 1 }
            return OperationOutcome(
                response: LDAPMessage(messageID: id, protocolOp: .searchResultDone(LDAPResult(.success))),
                log: AccessLogFields(
                    operation: "SRCH", dn: base, details: "scope=sub filter=\"(objectClass=*)\"", resultCode: .success,
                    entriesReturned: sent))
        case .compareRequest(let request):
            let entry = String(buffer: request.entry)
            Self.sleep(milliseconds: Self.parameters(entry)["delay"] ?? 0)
            return OperationOutcome(
                response: LDAPMessage(messageID: id, protocolOp: .compareResponse(LDAPResult(.compareTrue))),
                log: AccessLogFields(operation: "CMP", dn: entry, resultCode: .compareTrue))
        case .modifyRequest(let request):
            let object = String(buffer: request.object)
            stats.withLock { _ = $0.writerThreads.insert(Thread.current.description) }
            Self.sleep(milliseconds: Self.parameters(object)["delay"] ?? 0)
            return OperationOutcome(
                response: LDAPMessage(messageID: id, protocolOp: .modifyResponse(LDAPResult(.success))),
                log: AccessLogFields(operation: "MOD", dn: object, resultCode: .success))
        case .extendedRequest:
            let identity = connection.identity.dn.map { "dn:\($0)" } ?? ""
            let value = "\(connection.isTLS ? "TLS" : "CLEAR") \(identity)"
            return OperationOutcome(
                response: LDAPMessage(
                    messageID: id,
                    protocolOp: .extendedResponse(ExtendedResponse(result: LDAPResult(.success), value: ByteBuffer(string: value)))),
                log: AccessLogFields(operation: "EXT", dn: "", resultCode: .success))
        default:
            return OperationOutcome(
                response: nil, log: AccessLogFields(operation: "?", dn: "", resultCode: .unwillingToPerform))
        }
    }

    /// `key=value,key=value` with integer values.
    static func parameters(_ text: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, let value = Int(pair[1]) { result[String(pair[0])] = value }
        }
        return result
    }

    static func sleep(milliseconds: Int) {
        if milliseconds > 0 { usleep(UInt32(milliseconds) * 1000) }
    }
}

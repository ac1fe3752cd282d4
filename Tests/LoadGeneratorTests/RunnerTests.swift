import LDAPProtocol
import NIOCore
import NIOPosix
import Testing

@testable import LoadGenerator

/// A minimal LDAP responder on 127.0.0.1 (real sockets, LDAPProtocol's framing): binds succeed with the
/// password "good", searches return one entry, modifies succeed. `closeAfter` closes each connection after that
/// many requests, to exercise a lost connection.
private final class Responder: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = LDAPMessage
    typealias OutboundOut = LDAPMessage

    let closeAfter: Int?
    private var seen = 0

    init(closeAfter: Int?) { self.closeAfter = closeAfter }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = unwrapInboundIn(data)
        seen += 1
        if let closeAfter, seen > closeAfter {
            context.close(promise: nil)
            return
        }
        let id = request.messageID
        switch request.protocolOp {
        case .bindRequest(let bind):
            let good: Bool
            if case .simple(let password) = bind.authentication {
                good = String(buffer: password) == "good"
            } else {
                good = false
            }
            let result = LDAPResult(good ? .success : .invalidCredentials)
            context.write(wrapOutboundOut(LDAPMessage(messageID: id, protocolOp: .bindResponse(BindResponse(result: result)))), promise: nil)
        case .searchRequest:
            let entry = SearchResultEntry(objectName: ByteBuffer(string: "uid=a,dc=x"), attributes: [])
            context.write(wrapOutboundOut(LDAPMessage(messageID: id, protocolOp: .searchResultEntry(entry))), promise: nil)
            context.write(wrapOutboundOut(LDAPMessage(messageID: id, protocolOp: .searchResultDone(LDAPResult(.success)))), promise: nil)
        case .modifyRequest:
            context.write(wrapOutboundOut(LDAPMessage(messageID: id, protocolOp: .modifyResponse(LDAPResult(.success)))), promise: nil)
        case .unbindRequest:
            context.close(promise: nil)
        default:
            context.write(wrapOutboundOut(LDAPMessage(messageID: id, protocolOp: .extendedResponse(ExtendedResponse(result: LDAPResult(.protocolError))))), promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}

private func withResponder(
    closeAfter: Int? = nil, _ body: (BenchURL) async throws -> Void
) async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let server = try await ServerBootstrap(group: group)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LDAPMessageDecoder()))
                try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(LDAPMessageEncoder()))
                try channel.pipeline.syncOperations.addHandler(Responder(closeAfter: closeAfter))
            }
        }
        .bind(host: "127.0.0.1", port: 0).get()
    let port = server.localAddress?.port ?? 0
    do {
        try await body(BenchURL(host: "127.0.0.1", port: port, tls: false))
    } catch {
        try? await server.close()
        try? await group.shutdownGracefully()
        throw error
    }
    try await server.close()
    try await group.shutdownGracefully()
}

private let accounts = [
    BenchAccount(identifier: "a", dn: "uid=a,dc=x", password: "good", role: "person"),
    BenchAccount(identifier: "b", dn: "uid=b,dc=x", password: "good", role: "person"),
]

@Suite(.serialized) struct RunnerTests {
    @Test(arguments: Workload.allCases) func everyWorkloadCountsOperationsAndNoErrors(_ workload: Workload) async throws {
        try await withResponder { url in
            let settings = BenchSettings(
                url: url, workload: workload, connections: 2, depth: 3, duration: 0.5, warmup: 0.2,
                bindDN: "cn=admin,dc=x", password: "good")
            let result = try await BenchRunner.run(settings: settings, accounts: accounts)
            #expect(result.operations > 0)
            #expect(result.errors == 0)
            #expect(result.lostConnections == 0)
            #expect(abs(result.seconds - 0.5) < 0.001)
            #expect(result.p50Milliseconds <= result.p99Milliseconds)
            #expect(result.resultLine.hasPrefix("RESULT workload=\(workload.rawValue) ops=\(result.operations) "))
        }
    }

    @Test func wrongPasswordsAreCountedAsErrorsWithTheirCode() async throws {
        try await withResponder { url in
            let wrong = accounts.map { BenchAccount(identifier: $0.identifier, dn: $0.dn, password: "bad", role: $0.role) }
            let settings = BenchSettings(url: url, workload: .login, connections: 1, depth: 2, duration: 0.3, warmup: 0)
            let result = try await BenchRunner.run(settings: settings, accounts: wrong)
            #expect(result.operations == 0)
            #expect(result.errors > 0)
            #expect(result.firstErrors.map(\.description) == ["login bind: invalidCredentials (49)"])
        }
    }

    @Test func aLostConnectionStopsItsSlotAndIsAnError() async throws {
        try await withResponder(closeAfter: 5) { url in
            let settings = BenchSettings(url: url, workload: .bind, connections: 2, depth: 1, duration: 0.3, warmup: 0)
            let result = try await BenchRunner.run(settings: settings, accounts: accounts)
            #expect(result.lostConnections == 2)
            #expect(result.errors >= 2)
            #expect(result.operations <= 10)
        }
    }

    @Test func aRefusedServiceBindStopsTheRunWithAMessage() async throws {
        try await withResponder { url in
            let settings = BenchSettings(
                url: url, workload: .searchUID, connections: 1, depth: 1, duration: 0.3, warmup: 0,
                bindDN: "cn=admin,dc=x", password: "bad")
            await #expect(throws: BenchSettingsError("the bind as --bind-dn cn=admin,dc=x failed: invalidCredentials")) {
                _ = try await BenchRunner.run(settings: settings, accounts: accounts)
            }
        }
    }
}

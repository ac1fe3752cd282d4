import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SMSGateway
import Testing

/// A real HTTP server on 127.0.0.1 standing for the gateway: records each request, answers the next status of
/// its script (the last one repeats); `hang` never answers.
final class GatewayStub: Sendable {
    struct Received: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    private let received = NIOLockedValueBox<[Received]>([])
    private let script: NIOLockedValueBox<[Int]>
    let hang: Bool
    private let channel: any Channel
    let group: MultiThreadedEventLoopGroup

    init(statuses: [Int], hang: Bool = false) async throws {
        script = NIOLockedValueBox(statuses)
        self.hang = hang
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let stub = UncheckedBox()
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(stub: stub))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        stub.value = self
    }

    var url: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/send" }
    var requests: [Received] { received.withLockedValue { $0 } }

    func record(_ request: Received) -> Int {
        received.withLockedValue { $0.append(request) }
        return script.withLockedValue { script in script.count > 1 ? script.removeFirst() : script.first ?? 200 }
    }

    func stop() async throws {
        try await channel.close().get()
        try await group.shutdownGracefully()
    }

    final class UncheckedBox: @unchecked Sendable {
        var value: GatewayStub?
    }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let stub: UncheckedBox
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(stub: UncheckedBox) { self.stub = stub }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head, let stub = stub.value else { return }
                let status = stub.record(
                    Received(method: head.method, uri: head.uri, headers: head.headers, body: body))
                if stub.hang { return }
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "2")
                context.write(
                    wrapOutboundOut(
                        .head(
                            HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers)
                        )),
                    promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{}")))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

@Suite("SMS gateway")
struct SMSGatewayTests {
    static let logger = Logger(label: "test.sms")

    static func client(_ url: String, retries: Int = 2, timeout: Int64 = 5, http: HTTPClient) -> SMSGatewayClient {
        SMSGatewayClient(
            configuration: SMSGatewayConfiguration(
                url: url, bearerToken: "secret-token", timeoutSeconds: timeout, retries: retries,
                initialBackoff: .milliseconds(20)),
            http: http, logger: logger)
    }

    @Test("E.164: French national numbers, international forms, refusals")
    func e164() {
        let cases: [(String, String?)] = [
            ("06 12 34 56 78", "+33612345678"), ("06.12.34.56.78", "+33612345678"),
            ("+33 6 12 34 56 78", "+33612345678"),
            ("0033612345678", "+33612345678"), ("+262 692 12 34 56", "+262692123456"),
            ("(0)6-12-34-56-78", "+33612345678"),
            ("", nil), ("abc", nil), ("12345", nil), ("+33 6 12 34 56 78 90 12 34", nil), ("6 12 34 56 78", nil),
            ("06 12 34 56 78 ext 3", nil), ("0+33612345678", nil),
        ]
        for (text, expected) in cases {
            #expect(PhoneNumber.e164(text, defaultCountryCode: "33") == expected, "\(text)")
        }
        #expect(PhoneNumber.e164("0612345678", defaultCountryCode: "+262") == "+262612345678")
    }

    @Test("template: code and minutes; the default is French and shows the code")
    func template() {
        let text = SMSTemplate().render(code: "123456", validitySeconds: 600)
        #expect(text.contains("123456") && text.contains("10 minutes") && text.contains("code de sécurité"))
        #expect(SMSTemplate("{code}/{minutes}/{code}").render(code: "42", validitySeconds: 61) == "42/2/42")
        #expect(!SMSTemplate("pas de code").showsCode)
        #expect(!"\(SMSGatewayConfiguration(url: "https://x", bearerToken: "tok-123"))".contains("tok-123"))
    }

    @Test("POST with the bearer token and the JSON body; 2xx is success")
    func posts() async throws {
        let stub = try await GatewayStub(statuses: [202])
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let attempts = try await Self.client(stub.url, http: http).send(
            SMSMessage(recipient: "+33612345678", text: "Code : 123456 \"é\""))
        try await http.shutdown()
        try await stub.stop()
        #expect(attempts == 1)
        let request = try #require(stub.requests.first)
        #expect(request.method == .POST && request.uri == "/send")
        #expect(request.headers["Authorization"] == ["Bearer secret-token"])
        #expect(request.headers["Content-Type"].first?.hasPrefix("application/json") == true)
        let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String]
        #expect(body == ["to": "+33612345678", "text": "Code : 123456 \"é\""])
    }

    @Test("503 and 429 are retried with back-off; 400 is final; retries used up give the last status")
    func retries() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let flaky = try await GatewayStub(statuses: [503, 429, 200])
        #expect(
            try await Self.client(flaky.url, http: http).send(SMSMessage(recipient: "+33612345678", text: "x")) == 3)
        let refusing = try await GatewayStub(statuses: [400])
        await #expect(throws: SMSDeliveryError.status(400)) {
            try await Self.client(refusing.url, http: http).send(SMSMessage(recipient: "+33612345678", text: "x"))
        }
        #expect(refusing.requests.count == 1)
        let down = try await GatewayStub(statuses: [500])
        await #expect(throws: SMSDeliveryError.status(500)) {
            try await Self.client(down.url, retries: 2, http: http).send(
                SMSMessage(recipient: "+33612345678", text: "x"))
        }
        #expect(down.requests.count == 3)
        try await http.shutdown()
        for stub in [flaky, refusing, down] { try await stub.stop() }
    }

    @Test("an unreachable or silent gateway fails after the retries, within the timeout")
    func unreachableAndTimeout() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let closed = try await GatewayStub(statuses: [200])
        let url = closed.url
        try await closed.stop()
        do {
            try await Self.client(url, retries: 1, timeout: 1, http: http).send(
                SMSMessage(recipient: "+33612345678", text: "x"))
            Issue.record("expected a failure")
        } catch {
            guard case .unreachable = error else { Issue.record("unexpected \(error)"); return }
        }
        let silent = try await GatewayStub(statuses: [200], hang: true)
        let start = ContinuousClock.now
        do {
            try await Self.client(silent.url, retries: 0, timeout: 1, http: http).send(
                SMSMessage(recipient: "+33612345678", text: "x"))
            Issue.record("expected a timeout")
        } catch {
            guard case .unreachable = error else { Issue.record("unexpected \(error)"); return }
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        try await http.shutdown()
        try await silent.stop()
    }

    @Test("dispatcher: enqueue returns at once, run sends everything, finish drains")
    func dispatcher() async throws {
        let stub = try await GatewayStub(statuses: [200])
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let dispatcher = SMSDispatcher(client: Self.client(stub.url, http: http), logger: Self.logger, concurrency: 2)
        let runner = Task { await dispatcher.run() }
        for index in 0..<5 {
            dispatcher.enqueue(
                .init(message: SMSMessage(recipient: "+3361234567\(index)", text: "m\(index)"), subject: "p\(index)"))
        }
        dispatcher.finish()
        await runner.value
        #expect(stub.requests.count == 5)
        try await http.shutdown()
        try await stub.stop()
    }
}

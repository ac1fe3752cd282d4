import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends text messages through an HTTP gateway (docs/password-reset.md): one POST per message to the configured
/// URL, `Authorization: Bearer <token>`, `Content-Type: application/json`, body
/// `{"to":"+33612345678","text":"…"}`; any 2xx answer is a success. An unreachable gateway, a timeout, 429 and 5xx
/// are retried with exponential back-off; other answers are final. The token and the text are never logged.
public struct SMSGatewayClient: Sendable {
    /// The JSON body, keys in this order.
    struct Body: Encodable {
        var to: String
        var text: String
    }

    /// Where and how.
    public let configuration: SMSGatewayConfiguration
    private let http: HTTPClient
    private let logger: Logger

    /// A client over `http` (whose lifetime stays the caller's).
    public init(configuration: SMSGatewayConfiguration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
    }

    /// The body sent for `message`.
    static func body(_ message: SMSMessage) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding two strings cannot fail; an empty body would be refused by the gateway anyway.
        let data = (try? encoder.encode(Body(to: message.recipient, text: message.text))) ?? Data()
        return ByteBuffer(bytes: data)
    }

    /// Sends `message`, retrying transient failures; returns the number of attempts made. Throws the last
    /// failure once the retries are used up (or at once for a final one).
    @discardableResult
    public func send(_ message: SMSMessage) async throws(SMSDeliveryError) -> Int {
        var backoff = configuration.initialBackoff
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await sendOnce(message)
                return attempt
            } catch {
                guard error.isTransient, attempt <= configuration.retries else { throw error }
                logger.warning("SMS gateway attempt \(attempt) failed (\(error)); retrying in \(backoff)")
                do {
                    try await Task.sleep(for: backoff)
                } catch {
                    throw .unreachable("cancelled")
                }
                backoff *= 2
            }
        }
    }

    private func sendOnce(_ message: SMSMessage) async throws(SMSDeliveryError) {
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.bearerToken)")
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "Accept", value: "application/json")
        let body = Self.body(message)
        request.body = .bytes(body)
        let status: Int
        do {
            let response = try await http.execute(request, timeout: .seconds(configuration.timeoutSeconds))
            status = Int(response.status.code)
            // Read (a little of) the answer so the connection can be reused; its content is not needed.
            _ = try? await response.body.collect(upTo: 64 * 1024)
        } catch {
            throw .unreachable(String(describing: error))
        }
        guard (200..<300).contains(status) else { throw .status(status) }
    }
}

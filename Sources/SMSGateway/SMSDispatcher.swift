import Logging

/// The queue between the LDAP operations and the gateway: ``enqueue(_:)`` returns at once (an operation never
/// waits for the network), ``run()`` sends the queued messages, up to ``concurrency`` at a time, each with the
/// client's retries. Failures are logged here, never reported to whoever asked for the code. A full queue drops
/// the message (logged): the person asks again.
public final class SMSDispatcher: Sendable {
    /// One queued message, with what the log may say about it.
    public struct Job: Sendable {
        /// The message.
        public var message: SMSMessage
        /// Who it is for, for the log (an entry's DN); never the text.
        public var subject: String

        /// Makes a job.
        public init(message: SMSMessage, subject: String) {
            self.message = message
            self.subject = subject
        }
    }

    /// Messages sent at once at most.
    public let concurrency: Int
    /// The wait before a message's first attempt, so the gateway call (its CPU and network work) never overlaps
    /// the LDAP answer that queued it: the answer's delay then tells less about whether a code was sent.
    public let startDelay: Duration
    private let client: SMSGatewayClient
    private let logger: Logger
    private let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation

    /// A dispatcher over `client`, holding at most `capacity` waiting messages.
    public init(
        client: SMSGatewayClient, logger: Logger, capacity: Int = 1_000, concurrency: Int = 4,
        startDelay: Duration = .milliseconds(100)
    ) {
        self.client = client
        self.startDelay = startDelay
        self.logger = logger
        self.concurrency = max(concurrency, 1)
        (stream, continuation) = AsyncStream.makeStream(
            of: Job.self, bufferingPolicy: .bufferingOldest(max(capacity, 1)))
    }

    /// Queues `job`; never blocks.
    public func enqueue(_ job: Job) {
        switch continuation.yield(job) {
        case .enqueued: break
        case .dropped: logger.error("SMS for '\(job.subject)' not sent: \(SMSDeliveryError.dropped)")
        case .terminated: logger.error("SMS for '\(job.subject)' not sent: the server is stopping")
        @unknown default: break
        }
    }

    /// Stops taking messages; ``run()`` returns once the queued ones are sent (or have failed).
    public func finish() { continuation.finish() }

    /// Sends queued messages until ``finish()``.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await job in stream {
                if running >= concurrency {
                    await group.next()
                    running -= 1
                }
                group.addTask { [client, logger, startDelay] in
                    try? await Task.sleep(for: startDelay)
                    do {
                        let attempts = try await client.send(job.message)
                        logger.info("SMS for '\(job.subject)' accepted by the gateway (attempt \(attempts))")
                    } catch {
                        logger.error("SMS for '\(job.subject)' not delivered: \(error)")
                    }
                }
                running += 1
            }
            await group.waitForAll()
        }
    }
}

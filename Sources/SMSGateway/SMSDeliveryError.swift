/// Why a message could not be handed to the gateway.
public enum SMSDeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The gateway answered with this HTTP status (after the retries, for 429 and 5xx).
    case status(Int)
    /// The gateway could not be reached, or did not answer in time (after the retries); the text says how.
    case unreachable(String)
    /// The recipient is not a telephone number that can be written in E.164 form.
    case invalidRecipient
    /// The queue was full or closed: the message was dropped.
    case dropped

    public var description: String {
        switch self {
        case .status(let code): "the gateway answered HTTP \(code)"
        case .unreachable(let why): "the gateway could not be reached: \(why)"
        case .invalidRecipient: "the mobile number cannot be written in E.164 form"
        case .dropped: "the message was dropped (queue full or closed)"
        }
    }

    /// Whether another attempt may succeed.
    var isTransient: Bool {
        switch self {
        case .status(let code): code == 429 || code >= 500
        case .unreachable: true
        case .invalidRecipient, .dropped: false
        }
    }
}

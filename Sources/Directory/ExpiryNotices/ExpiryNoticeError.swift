/// Why the expiry notices cannot run.
package enum ExpiryNoticeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A template does not parse.
    case template(String)
    /// The record of sent notices cannot be opened or written.
    case ledger(String)
    /// The directory cannot be read.
    case directory(String)

    package var description: String {
        switch self {
        case .template(let message): message
        case .ledger(let message): "the record of sent notices: \(message)"
        case .directory(let message): "the directory cannot be read: \(message)"
        }
    }
}

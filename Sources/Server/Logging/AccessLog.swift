import Directory
import LDAPProtocol
import Logging

/// The access log: one info line per operation and per connection opened or closed, in slapd's spirit
/// (`conn=N op=M …`). Built only from ``AccessLogFields`` and what the server measures — never a request body,
/// so never a password or a hash.
struct AccessLog: Sendable {
    /// Where lines go.
    let logger: Logger

    /// Logs one finished operation.
    func operation(connection: UInt64, operation: UInt64, peer: String, fields: AccessLogFields, elapsedMicros: Int64) {
        let line = Self.operationLine(
            connection: connection, operation: operation, peer: peer, fields: fields, elapsedMicros: elapsedMicros)
        logger.info("\(line)")
    }

    /// Logs an accepted connection.
    func opened(connection: UInt64, peer: String, listener: String) {
        logger.info("conn=\(connection) peer=\(peer) ACCEPT on=\(listener)")
    }

    /// Logs a closed connection and why.
    func closed(connection: UInt64, peer: String, reason: String) {
        logger.info("conn=\(connection) peer=\(peer) CLOSED reason=\"\(Self.escaped(reason))\"")
    }

    /// The operation line: `conn=N op=M peer=P OP dn="…" [details] result=CODE entries=K elapsed_us=T`.
    static func operationLine(
        connection: UInt64, operation: UInt64, peer: String, fields: AccessLogFields, elapsedMicros: Int64
    ) -> String {
        var line = "conn=\(connection) op=\(operation) peer=\(peer) \(fields.operation) dn=\"\(escaped(fields.dn))\""
        // The details are the directory's own `key=value` text with RFC 4515 filters: keep their quotes and
        // backslashes, remove only what could start a new line.
        if !fields.details.isEmpty { line += " \(escaped(fields.details, quotes: false))" }
        line += " result=\(fields.resultCode.rawValue) entries=\(fields.entriesReturned) elapsed_us=\(elapsedMicros)"
        return line
    }

    /// Client-supplied text made safe for one log line: control characters as `\XX`, and with `quotes` (text
    /// inside `"…"`) `"` and `\` escaped too.
    static func escaped(_ text: String, quotes: Bool = true) -> String {
        guard
            text.unicodeScalars.contains(where: {
                $0.value < 0x20 || $0.value == 0x7F || (quotes && ($0 == "\"" || $0 == "\\"))
            })
        else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where quotes: result += "\\\""
            case "\\" where quotes: result += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\" + (hex.count == 1 ? "0" + hex : hex)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

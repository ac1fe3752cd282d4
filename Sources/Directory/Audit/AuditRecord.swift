import LDAPProtocol

/// One line of the audit trail: a write, done or refused (docs/audit.md describes each field).
///
/// It carries names, never values: not the attribute values changed (a `userPassword` value above all), not the
/// diagnostic message (schema messages quote values). The trail says who did what to which entry and how it
/// ended; the entry itself says what it now holds.
package struct AuditRecord: Sendable, Hashable {
    /// The write operations recorded.
    package enum Operation: String, Sendable, Hashable {
        case add
        case delete
        case modify
        case modifyDN
        /// Password Modify (RFC 3062) on the bound entry's own password.
        case passwordChange
        /// Password Modify on another entry's password (the root DN, a correspondent).
        case passwordReset
    }

    /// When the line was made, in microseconds since 1970 (written in UTC to the millisecond).
    package var microsecondsSince1970: Int64
    /// The connection's number, as in the access log.
    package var connectionID: UInt64
    /// The request's message ID: with `connectionID` it names the operation (a commit that fails after its
    /// success line gets a second line with the same pair).
    package var messageID: Int32
    /// The peer as `address:port`.
    package var peer: String
    /// Who the connection was bound as; empty when anonymous.
    package var bindDN: String
    /// The operation.
    package var operation: Operation
    /// The entry written, as the client sent it (for Password Modify: the userIdentity, or the bound DN).
    package var targetDN: String
    /// The attribute types the request changes, as the client named them, each once, in request order.
    package var attributes: [String]
    /// The entry's new DN (modify DN only, when the request's names parse).
    package var newDN: String?
    /// The result code sent (or, just before a commit, the success it is about to send).
    package var resultCode: ResultCode

    /// Makes a record.
    package init(
        microsecondsSince1970: Int64, connectionID: UInt64, messageID: Int32, peer: String, bindDN: String,
        operation: Operation, targetDN: String, attributes: [String], newDN: String? = nil, resultCode: ResultCode
    ) {
        self.microsecondsSince1970 = microsecondsSince1970
        self.connectionID = connectionID
        self.messageID = messageID
        self.peer = peer
        self.bindDN = bindDN
        self.operation = operation
        self.targetDN = targetDN
        self.attributes = attributes
        self.newDN = newDN
        self.resultCode = resultCode
    }

    /// The record as one JSON object and a newline (JSON Lines), keys in a fixed order so lines diff and grep
    /// well.
    package var jsonLine: String {
        var line = "{\"time\":" + AuditJSON.string(AuditJSON.timestamp(microsecondsSince1970))
        line += ",\"conn\":\(connectionID),\"msgid\":\(messageID)"
        line += ",\"peer\":" + AuditJSON.string(peer)
        line += ",\"bindDN\":" + AuditJSON.string(bindDN)
        line += ",\"op\":" + AuditJSON.string(operation.rawValue)
        line += ",\"dn\":" + AuditJSON.string(targetDN)
        if let newDN { line += ",\"newDN\":" + AuditJSON.string(newDN) }
        line += ",\"attributes\":[" + attributes.map(AuditJSON.string).joined(separator: ",") + "]"
        line += ",\"result\":\(resultCode.rawValue),\"resultName\":" + AuditJSON.string(resultCode.description)
        return line + "}\n"
    }
}

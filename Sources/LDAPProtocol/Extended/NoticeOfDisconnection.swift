import NIOCore

/// The unsolicited Notice of Disconnection (RFC 4511 §4.4.1): messageID 0, an ExtendedResponse named
/// 1.3.6.1.4.1.1466.20036, sent just before the server closes a connection.
public enum NoticeOfDisconnection {
    public static let oid = "1.3.6.1.4.1.1466.20036"

    /// The whole message, e.g. `.protocolError` for a PDU that cannot be decoded, `.unavailable` on shutdown.
    public static func message(_ resultCode: ResultCode, diagnosticMessage: String) -> LDAPMessage {
        LDAPMessage(
            messageID: 0,
            protocolOp: .extendedResponse(ExtendedResponse(
                result: LDAPResult(resultCode, diagnosticMessage: diagnosticMessage),
                name: ByteBuffer(string: oid)
            ))
        )
    }
}

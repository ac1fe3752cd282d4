import NIOCore

/// The StartTLS extended operation (RFC 4511 §4.14): no request or response value.
public enum StartTLS {
    public static let oid = "1.3.6.1.4.1.1466.20037"

    public static var request: ExtendedRequest { ExtendedRequest(name: ByteBuffer(string: oid)) }

    /// The response; RFC 4511 §4.14.2 requires responseName to be the StartTLS OID.
    public static func response(_ result: LDAPResult) -> ExtendedResponse {
        ExtendedResponse(result: result, name: ByteBuffer(string: oid))
    }
}

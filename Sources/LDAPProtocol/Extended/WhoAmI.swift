import NIOCore

/// "Who am I?" (RFC 4532): no request value; the response value is the authzId itself
/// (`dn:...`, `u:...`, or empty for anonymous), not BER-wrapped, and responseName is absent.
public enum WhoAmI {
    public static let oid = "1.3.6.1.4.1.4203.1.11.3"

    public static var request: ExtendedRequest { ExtendedRequest(name: ByteBuffer(string: oid)) }

    public static func response(authorizationID: String) -> ExtendedResponse {
        ExtendedResponse(result: LDAPResult(.success), value: ByteBuffer(string: authorizationID))
    }
}

import NIOCore

/// Self-service password reset, step 1 (Annuaire's own extended operation, docs/password-reset.md): a portal asks
/// the server to send a security code by SMS to the person an identifier names.
///
/// ```
/// requestName  2.25.208241287730979937341023007625728684541.3.1
/// ResetCodeRequestValue ::= SEQUENCE {
///     identifier     OCTET STRING,              -- the sign-in identifier the person typed (UTF-8)
///     clientAddress  [0] OCTET STRING OPTIONAL  -- the person's address as the portal saw it (rate limits)
/// }
/// ResetCodeResponseValue ::= SEQUENCE {
///     validity       INTEGER                    -- seconds a code stays valid (the same for every request)
/// }
/// ```
///
/// The OIDs live under the project's self-assigned UUID arc (schema/aspasie.schema: `.1` attribute types, `.2`
/// object classes, `.3` extended operations).
public struct PasswordResetCodeRequest: Hashable, Sendable {
    /// The request name.
    public static let oid = "2.25.208241287730979937341023007625728684541.3.1"
    static let clientAddressTag = BERTag.context(0, constructed: false)

    /// The identifier as the person typed it.
    public var identifier: ByteBuffer
    /// The end user's address, forwarded by the portal; `nil`: the server uses the connection's peer.
    public var clientAddress: ByteBuffer?

    /// Makes a request.
    public init(identifier: ByteBuffer, clientAddress: ByteBuffer? = nil) {
        self.identifier = identifier
        self.clientAddress = clientAddress
    }

    /// Decodes the request value (which is required).
    public init(requestValue: ByteBuffer?) throws(LDAPDecodingError) {
        let context = "PasswordResetCodeRequest"
        guard var value = requestValue else { throw LDAPDecodingError(.invalidValue("no value"), context: context) }
        var content = try value.readBERElement(expecting: .sequence, context: context)
        try value.requireBERFullyConsumed(context: context)
        identifier = try content.readBEROctetString(context: "\(context).identifier")
        if content.readableBytes > 0 {
            clientAddress = try content.readBEROctetString(
                tag: Self.clientAddressTag, context: "\(context).clientAddress")
        }
        try content.requireBERFullyConsumed(context: context)
    }

    /// The extended request carrying this value.
    public var request: ExtendedRequest {
        var value = ByteBuffer()
        value.writeBERElement(.sequence) { buffer in
            buffer.writeBEROctetString(identifier)
            if let clientAddress { buffer.writeBEROctetString(clientAddress, tag: Self.clientAddressTag) }
        }
        return ExtendedRequest(name: ByteBuffer(string: Self.oid), value: value)
    }
}

/// The response value of ``PasswordResetCodeRequest``: how long a code stays valid. Identical for every request
/// (whether or not a code was sent: domain.md D8).
public struct PasswordResetCodeResponse: Hashable, Sendable {
    /// Seconds a code stays valid.
    public var validitySeconds: Int

    /// Makes a response value.
    public init(validitySeconds: Int) { self.validitySeconds = validitySeconds }

    /// Decodes the response value.
    public init(responseValue: ByteBuffer?) throws(LDAPDecodingError) {
        let context = "PasswordResetCodeResponse"
        guard var value = responseValue else { throw LDAPDecodingError(.invalidValue("no value"), context: context) }
        var content = try value.readBERElement(expecting: .sequence, context: context)
        try value.requireBERFullyConsumed(context: context)
        validitySeconds = try content.readBERInteger(as: Int.self, context: "\(context).validity")
        try content.requireBERFullyConsumed(context: context)
    }

    /// The extended response: success, the request's name and this value.
    public func response(_ result: LDAPResult = LDAPResult(.success)) -> ExtendedResponse {
        var value = ByteBuffer()
        value.writeBERElement(.sequence) { buffer in buffer.writeBERInteger(validitySeconds) }
        return ExtendedResponse(result: result, name: ByteBuffer(string: PasswordResetCodeRequest.oid), value: value)
    }
}

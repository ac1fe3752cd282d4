import NIOCore

/// Self-service password reset, step 2 (Annuaire's own extended operation, docs/password-reset.md): the portal
/// sends the identifier, the code the person received by SMS and the new password.
///
/// ```
/// requestName  2.25.208241287730979937341023007625728684541.3.2
/// ResetRequestValue ::= SEQUENCE {
///     identifier     OCTET STRING,              -- as in step 1
///     code           OCTET STRING,              -- the digits received by SMS
///     newPassword    OCTET STRING,              -- the new password, in clear (the server hashes it)
///     clientAddress  [0] OCTET STRING OPTIONAL  -- the person's address as the portal saw it (rate limits)
/// }
/// ```
/// The response carries no value: the result code says how it ended.
public struct PasswordResetRequest: Hashable, Sendable {
    /// The request name.
    public static let oid = "2.25.208241287730979937341023007625728684541.3.2"
    static let clientAddressTag = BERTag.context(0, constructed: false)

    /// The identifier as the person typed it.
    public var identifier: ByteBuffer
    /// The code as the person typed it.
    public var code: ByteBuffer
    /// The new password, in clear.
    public var newPassword: ByteBuffer
    /// The end user's address, forwarded by the portal; `nil`: the server uses the connection's peer.
    public var clientAddress: ByteBuffer?

    /// Makes a request.
    public init(identifier: ByteBuffer, code: ByteBuffer, newPassword: ByteBuffer, clientAddress: ByteBuffer? = nil) {
        self.identifier = identifier
        self.code = code
        self.newPassword = newPassword
        self.clientAddress = clientAddress
    }

    /// Decodes the request value (which is required).
    public init(requestValue: ByteBuffer?) throws(LDAPDecodingError) {
        let context = "PasswordResetRequest"
        guard var value = requestValue else { throw LDAPDecodingError(.invalidValue("no value"), context: context) }
        var content = try value.readBERElement(expecting: .sequence, context: context)
        try value.requireBERFullyConsumed(context: context)
        identifier = try content.readBEROctetString(context: "\(context).identifier")
        code = try content.readBEROctetString(context: "\(context).code")
        newPassword = try content.readBEROctetString(context: "\(context).newPassword")
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
            buffer.writeBEROctetString(code)
            buffer.writeBEROctetString(newPassword)
            if let clientAddress { buffer.writeBEROctetString(clientAddress, tag: Self.clientAddressTag) }
        }
        return ExtendedRequest(name: ByteBuffer(string: Self.oid), value: value)
    }
}

import NIOCore

/// Password Modify (RFC 3062).
///
/// `PasswdModifyRequestValue ::= SEQUENCE { userIdentity [0] OPTIONAL, oldPasswd [1] OPTIONAL, newPasswd [2] OPTIONAL }`
/// `PasswdModifyResponseValue ::= SEQUENCE { genPasswd [0] OPTIONAL }`
public struct PasswordModifyRequest: Hashable, Sendable {
    public static let oid = "1.3.6.1.4.1.4203.1.11.1"
    static let userIdentityTag = BERTag.context(0, constructed: false)
    static let oldPasswordTag = BERTag.context(1, constructed: false)
    static let newPasswordTag = BERTag.context(2, constructed: false)

    public var userIdentity: ByteBuffer?
    public var oldPassword: ByteBuffer?
    public var newPassword: ByteBuffer?

    public init(userIdentity: ByteBuffer? = nil, oldPassword: ByteBuffer? = nil, newPassword: ByteBuffer? = nil) {
        self.userIdentity = userIdentity
        self.oldPassword = oldPassword
        self.newPassword = newPassword
    }

    /// Decodes the request value; an absent value means "change my own password to a generated one".
    public init(requestValue: ByteBuffer?) throws(LDAPDecodingError) {
        let context = "PasswordModifyRequest"
        guard var value = requestValue else { return }
        var content = try value.readBERElement(expecting: .sequence, context: context)
        try value.requireBERFullyConsumed(context: context)
        if content.peekBERTag() == Self.userIdentityTag {
            self.userIdentity = try content.readBEROctetString(tag: Self.userIdentityTag, context: "\(context).userIdentity")
        }
        if content.peekBERTag() == Self.oldPasswordTag {
            self.oldPassword = try content.readBEROctetString(tag: Self.oldPasswordTag, context: "\(context).oldPasswd")
        }
        if content.peekBERTag() == Self.newPasswordTag {
            self.newPassword = try content.readBEROctetString(tag: Self.newPasswordTag, context: "\(context).newPasswd")
        }
        try content.requireBERFullyConsumed(context: context)
    }

    public var request: ExtendedRequest {
        var value = ByteBuffer()
        value.writeBERElement(.sequence) { buffer in
            if let userIdentity { buffer.writeBEROctetString(userIdentity, tag: Self.userIdentityTag) }
            if let oldPassword { buffer.writeBEROctetString(oldPassword, tag: Self.oldPasswordTag) }
            if let newPassword { buffer.writeBEROctetString(newPassword, tag: Self.newPasswordTag) }
        }
        return ExtendedRequest(name: ByteBuffer(string: Self.oid), value: value)
    }
}

/// The response value of Password Modify: the generated password, when the server made one.
public struct PasswordModifyResponse: Hashable, Sendable {
    static let generatedPasswordTag = BERTag.context(0, constructed: false)

    public var generatedPassword: ByteBuffer?

    public init(generatedPassword: ByteBuffer? = nil) { self.generatedPassword = generatedPassword }

    public init(responseValue: ByteBuffer?) throws(LDAPDecodingError) {
        guard var value = responseValue else { return }
        var content = try value.readBERElement(expecting: .sequence, context: "PasswordModifyResponse")
        try value.requireBERFullyConsumed(context: "PasswordModifyResponse")
        if content.readableBytes > 0 {
            self.generatedPassword = try content.readBEROctetString(
                tag: Self.generatedPasswordTag, context: "PasswordModifyResponse.genPasswd")
        }
        try content.requireBERFullyConsumed(context: "PasswordModifyResponse")
    }

    /// The response; RFC 3062 sends a value only when a password was generated.
    public func response(_ result: LDAPResult = LDAPResult(.success)) -> ExtendedResponse {
        guard let generatedPassword else { return ExtendedResponse(result: result) }
        var value = ByteBuffer()
        value.writeBERElement(.sequence) { buffer in
            buffer.writeBEROctetString(generatedPassword, tag: Self.generatedPasswordTag)
        }
        return ExtendedResponse(result: result, value: value)
    }
}

import NIOCore

/// `BindRequest ::= [APPLICATION 0] SEQUENCE { version, name, authentication }` (RFC 4511 §4.2).
public struct BindRequest: Hashable, Sendable {
    /// `AuthenticationChoice`: simple password or SASL mechanism and credentials.
    public enum Authentication: Hashable, Sendable {
        case simple(ByteBuffer)
        case sasl(mechanism: ByteBuffer, credentials: ByteBuffer?)
    }

    public static let tag = BERTag.application(0, constructed: true)
    static let simpleTag = BERTag.context(0, constructed: false)
    static let saslTag = BERTag.context(3, constructed: true)

    /// Protocol version, 1...127; servers accept 3.
    public var version: Int
    public var name: ByteBuffer
    public var authentication: Authentication

    public init(version: Int = 3, name: ByteBuffer, authentication: Authentication) {
        self.version = version
        self.name = name
        self.authentication = authentication
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "BindRequest")
        let version = try content.readBERInteger(as: Int.self, context: "BindRequest.version")
        guard (1...127).contains(version) else {
            throw LDAPDecodingError(.integerOutOfRange, context: "BindRequest.version")
        }
        self.version = version
        self.name = try content.readBEROctetString(context: "BindRequest.name")
        let choice = try content.readBERElement()
        switch choice.tag {
        case Self.simpleTag:
            self.authentication = .simple(choice.content)
        case Self.saslTag:
            var sasl = choice.content
            let mechanism = try sasl.readBEROctetString(context: "BindRequest.sasl.mechanism")
            let credentials = sasl.readableBytes > 0
                ? try sasl.readBEROctetString(context: "BindRequest.sasl.credentials") : nil
            try sasl.requireBERFullyConsumed(context: "BindRequest.sasl")
            self.authentication = .sasl(mechanism: mechanism, credentials: credentials)
        default:
            throw LDAPDecodingError(.unknownChoice(choice.tag), context: "BindRequest.authentication")
        }
        try content.requireBERFullyConsumed(context: "BindRequest")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag) { buffer in
            buffer.writeBERInteger(version)
            buffer.writeBEROctetString(name)
            switch authentication {
            case .simple(let password):
                buffer.writeBEROctetString(password, tag: Self.simpleTag)
            case .sasl(let mechanism, let credentials):
                buffer.writeBERElement(Self.saslTag) { buffer in
                    buffer.writeBEROctetString(mechanism)
                    if let credentials { buffer.writeBEROctetString(credentials) }
                }
            }
        }
    }
}

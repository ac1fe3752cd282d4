import NIOCore

/// `BindResponse ::= [APPLICATION 1] SEQUENCE { COMPONENTS OF LDAPResult, serverSaslCreds [7] OPTIONAL }`.
public struct BindResponse: Hashable, Sendable {
    public static let tag = BERTag.application(1, constructed: true)
    static let serverSaslCredsTag = BERTag.context(7, constructed: false)

    public var result: LDAPResult
    public var serverSaslCredentials: ByteBuffer?

    public init(result: LDAPResult, serverSaslCredentials: ByteBuffer? = nil) {
        self.result = result
        self.serverSaslCredentials = serverSaslCredentials
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "BindResponse")
        self.result = try LDAPResult(components: &content, context: "BindResponse")
        if content.readableBytes > 0 {
            self.serverSaslCredentials = try content.readBEROctetString(
                tag: Self.serverSaslCredsTag, context: "BindResponse.serverSaslCreds")
        }
        try content.requireBERFullyConsumed(context: "BindResponse")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag) { buffer in
            result.writeComponents(into: &buffer)
            if let serverSaslCredentials {
                buffer.writeBEROctetString(serverSaslCredentials, tag: Self.serverSaslCredsTag)
            }
        }
    }
}

import NIOCore

/// `ExtendedRequest ::= [APPLICATION 23] SEQUENCE { requestName [0], requestValue [1] OPTIONAL }`.
public struct ExtendedRequest: Hashable, Sendable {
    public static let tag = BERTag.application(23, constructed: true)
    static let nameTag = BERTag.context(0, constructed: false)
    static let valueTag = BERTag.context(1, constructed: false)

    public var name: ByteBuffer
    public var value: ByteBuffer?

    public init(name: ByteBuffer, value: ByteBuffer? = nil) {
        self.name = name
        self.value = value
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "ExtendedRequest")
        self.name = try content.readBEROctetString(tag: Self.nameTag, context: "ExtendedRequest.requestName")
        if content.readableBytes > 0 {
            self.value = try content.readBEROctetString(tag: Self.valueTag, context: "ExtendedRequest.requestValue")
        }
        try content.requireBERFullyConsumed(context: "ExtendedRequest")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag) { buffer in
            buffer.writeBEROctetString(name, tag: Self.nameTag)
            if let value { buffer.writeBEROctetString(value, tag: Self.valueTag) }
        }
    }
}

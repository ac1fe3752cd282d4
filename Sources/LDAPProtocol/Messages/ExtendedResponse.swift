import NIOCore

/// `ExtendedResponse ::= [APPLICATION 24] SEQUENCE { COMPONENTS OF LDAPResult, responseName [10], responseValue [11] }`.
public struct ExtendedResponse: Hashable, Sendable {
    public static let tag = BERTag.application(24, constructed: true)
    static let nameTag = BERTag.context(10, constructed: false)
    static let valueTag = BERTag.context(11, constructed: false)

    public var result: LDAPResult
    public var name: ByteBuffer?
    public var value: ByteBuffer?

    public init(result: LDAPResult, name: ByteBuffer? = nil, value: ByteBuffer? = nil) {
        self.result = result
        self.name = name
        self.value = value
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "ExtendedResponse")
        self.result = try LDAPResult(components: &content, context: "ExtendedResponse")
        if content.peekBERTag() == Self.nameTag {
            self.name = try content.readBEROctetString(tag: Self.nameTag, context: "ExtendedResponse.responseName")
        }
        if content.readableBytes > 0 {
            self.value = try content.readBEROctetString(tag: Self.valueTag, context: "ExtendedResponse.responseValue")
        }
        try content.requireBERFullyConsumed(context: "ExtendedResponse")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag) { buffer in
            result.writeComponents(into: &buffer)
            if let name { buffer.writeBEROctetString(name, tag: Self.nameTag) }
            if let value { buffer.writeBEROctetString(value, tag: Self.valueTag) }
        }
    }
}

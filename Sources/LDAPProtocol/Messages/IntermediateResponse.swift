import NIOCore

/// `IntermediateResponse ::= [APPLICATION 25] SEQUENCE { responseName [0] OPTIONAL, responseValue [1] OPTIONAL }`.
public struct IntermediateResponse: Hashable, Sendable {
    public static let tag = BERTag.application(25, constructed: true)
    static let nameTag = BERTag.context(0, constructed: false)
    static let valueTag = BERTag.context(1, constructed: false)

    public var name: ByteBuffer?
    public var value: ByteBuffer?

    public init(name: ByteBuffer? = nil, value: ByteBuffer? = nil) {
        self.name = name
        self.value = value
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "IntermediateResponse")
        if content.peekBERTag() == Self.nameTag {
            self.name = try content.readBEROctetString(tag: Self.nameTag, context: "IntermediateResponse.responseName")
        }
        if content.readableBytes > 0 {
            self.value = try content.readBEROctetString(tag: Self.valueTag, context: "IntermediateResponse.responseValue")
        }
        try content.requireBERFullyConsumed(context: "IntermediateResponse")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag) { buffer in
            if let name { buffer.writeBEROctetString(name, tag: Self.nameTag) }
            if let value { buffer.writeBEROctetString(value, tag: Self.valueTag) }
        }
    }
}

import NIOCore

/// `SearchResultEntry ::= [APPLICATION 4] SEQUENCE { objectName, attributes PartialAttributeList }`.
public struct SearchResultEntry: Hashable, Sendable {
    public static let tag = BERTag.application(4, constructed: true)

    public var objectName: ByteBuffer
    public var attributes: [PartialAttribute]

    public init(objectName: ByteBuffer, attributes: [PartialAttribute]) {
        self.objectName = objectName
        self.attributes = attributes
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "SearchResultEntry")
        self.objectName = try content.readBEROctetString(context: "SearchResultEntry.objectName")
        self.attributes = try .readBER(from: &content, context: "SearchResultEntry.attributes")
        try content.requireBERFullyConsumed(context: "SearchResultEntry")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag, lengthHint: 3) { buffer in
            buffer.writeBEROctetString(objectName)
            attributes.writeBER(into: &buffer)
        }
    }
}

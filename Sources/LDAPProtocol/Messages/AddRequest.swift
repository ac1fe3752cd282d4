import NIOCore

/// `AddRequest ::= [APPLICATION 8] SEQUENCE { entry LDAPDN, attributes AttributeList }` (RFC 4511 §4.7).
public struct AddRequest: Hashable, Sendable {
    public static let tag = BERTag.application(8, constructed: true)

    public var entry: ByteBuffer
    public var attributes: [PartialAttribute]

    public init(entry: ByteBuffer, attributes: [PartialAttribute]) {
        self.entry = entry
        self.attributes = attributes
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "AddRequest")
        self.entry = try content.readBEROctetString(context: "AddRequest.entry")
        self.attributes = try .readBER(from: &content, context: "AddRequest.attributes")
        try content.requireBERFullyConsumed(context: "AddRequest")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag, lengthHint: 2) { buffer in
            buffer.writeBEROctetString(entry)
            attributes.writeBER(into: &buffer)
        }
    }
}

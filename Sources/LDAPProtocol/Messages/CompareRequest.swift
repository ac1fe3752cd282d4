import NIOCore

/// `CompareRequest ::= [APPLICATION 14] SEQUENCE { entry LDAPDN, ava AttributeValueAssertion }`.
public struct CompareRequest: Hashable, Sendable {
    public static let tag = BERTag.application(14, constructed: true)

    public var entry: ByteBuffer
    public var assertion: AttributeValueAssertion

    public init(entry: ByteBuffer, assertion: AttributeValueAssertion) {
        self.entry = entry
        self.assertion = assertion
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "CompareRequest")
        self.entry = try content.readBEROctetString(context: "CompareRequest.entry")
        self.assertion = try AttributeValueAssertion(from: &content, context: "CompareRequest.ava")
        try content.requireBERFullyConsumed(context: "CompareRequest")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag) { buffer in
            buffer.writeBEROctetString(entry)
            assertion.write(into: &buffer)
        }
    }
}

import NIOCore

/// `Control ::= SEQUENCE { controlType LDAPOID, criticality BOOLEAN DEFAULT FALSE, controlValue OPTIONAL }`.
public struct LDAPControl: Hashable, Sendable {
    public var type: ByteBuffer
    public var criticality: Bool
    public var value: ByteBuffer?

    public init(type: ByteBuffer, criticality: Bool = false, value: ByteBuffer? = nil) {
        self.type = type
        self.criticality = criticality
        self.value = value
    }

    public init(_ oid: String, criticality: Bool = false, value: ByteBuffer? = nil) {
        self.init(type: ByteBuffer(string: oid), criticality: criticality, value: value)
    }

    /// The control's OID as a string.
    public var oid: String { String(buffer: type) }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: .sequence, context: "Control")
        self.type = try content.readBEROctetString(context: "Control.controlType")
        self.criticality = false
        if content.peekBERTag() == .boolean {
            self.criticality = try content.readBERBoolean(context: "Control.criticality")
        }
        if content.readableBytes > 0 {
            self.value = try content.readBEROctetString(context: "Control.controlValue")
        }
        try content.requireBERFullyConsumed(context: "Control")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(.sequence) { buffer in
            buffer.writeBEROctetString(type)
            // DEFAULT FALSE is omitted, as DER and OpenLDAP do.
            if criticality { buffer.writeBERBoolean(true) }
            if let value { buffer.writeBEROctetString(value) }
        }
    }
}

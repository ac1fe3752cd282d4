import NIOCore

/// `ModifyDNRequest ::= [APPLICATION 12] SEQUENCE { entry, newrdn, deleteoldrdn, newSuperior [0] OPTIONAL }`.
public struct ModifyDNRequest: Hashable, Sendable {
    public static let tag = BERTag.application(12, constructed: true)
    static let newSuperiorTag = BERTag.context(0, constructed: false)

    public var entry: ByteBuffer
    public var newRDN: ByteBuffer
    public var deleteOldRDN: Bool
    public var newSuperior: ByteBuffer?

    public init(entry: ByteBuffer, newRDN: ByteBuffer, deleteOldRDN: Bool, newSuperior: ByteBuffer? = nil) {
        self.entry = entry
        self.newRDN = newRDN
        self.deleteOldRDN = deleteOldRDN
        self.newSuperior = newSuperior
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "ModifyDNRequest")
        self.entry = try content.readBEROctetString(context: "ModifyDNRequest.entry")
        self.newRDN = try content.readBEROctetString(context: "ModifyDNRequest.newrdn")
        self.deleteOldRDN = try content.readBERBoolean(context: "ModifyDNRequest.deleteoldrdn")
        if content.readableBytes > 0 {
            self.newSuperior = try content.readBEROctetString(tag: Self.newSuperiorTag, context: "ModifyDNRequest.newSuperior")
        }
        try content.requireBERFullyConsumed(context: "ModifyDNRequest")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag) { buffer in
            buffer.writeBEROctetString(entry)
            buffer.writeBEROctetString(newRDN)
            buffer.writeBERBoolean(deleteOldRDN)
            if let newSuperior { buffer.writeBEROctetString(newSuperior, tag: Self.newSuperiorTag) }
        }
    }
}

import NIOCore

/// `PartialAttribute ::= SEQUENCE { type AttributeDescription, vals SET OF AttributeValue }`.
/// Also serves as `Attribute` (same encoding, at least one value) in AddRequest.
public struct PartialAttribute: Hashable, Sendable {
    public var type: ByteBuffer
    public var values: [ByteBuffer]

    public init(type: ByteBuffer, values: [ByteBuffer]) {
        self.type = type
        self.values = values
    }

    public init(_ type: String, _ values: [String]) {
        self.init(type: ByteBuffer(string: type), values: values.map { ByteBuffer(string: $0) })
    }

    public init(from buffer: inout ByteBuffer, context: String) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: .sequence, context: context)
        self.type = try content.readBEROctetString(context: "\(context).type")
        var set = try content.readBERElement(expecting: .set, context: "\(context).vals")
        try content.requireBERFullyConsumed(context: context)
        var values: [ByteBuffer] = []
        values.reserveCapacity(set.berElementCount())
        while set.readableBytes > 0 {
            values.append(try set.readBEROctetString(context: "\(context).vals"))
        }
        self.values = values
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(.sequence, lengthHint: 2) { buffer in
            buffer.writeBEROctetString(type)
            buffer.writeBERElement(.set, lengthHint: 2) { buffer in
                for value in values { buffer.writeBEROctetString(value) }
            }
        }
    }
}

extension [PartialAttribute] {
    /// Reads a `SEQUENCE OF PartialAttribute`.
    static func readBER(from buffer: inout ByteBuffer, context: String) throws(LDAPDecodingError) -> [PartialAttribute] {
        var list = try buffer.readBERElement(expecting: .sequence, context: context)
        var attributes: [PartialAttribute] = []
        attributes.reserveCapacity(list.berElementCount())
        while list.readableBytes > 0 {
            attributes.append(try PartialAttribute(from: &list, context: context))
        }
        return attributes
    }

    func writeBER(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(.sequence, lengthHint: 3) { buffer in
            for attribute in self { attribute.write(into: &buffer) }
        }
    }
}

import NIOCore

/// `ModifyRequest ::= [APPLICATION 6] SEQUENCE { object LDAPDN, changes SEQUENCE OF change }` (RFC 4511 §4.6).
public struct ModifyRequest: Hashable, Sendable {
    /// One change; `increment` is RFC 4525's Modify-Increment.
    public struct Change: Hashable, Sendable {
        public enum Operation: Int, Hashable, Sendable {
            case add = 0
            case delete = 1
            case replace = 2
            case increment = 3
        }

        public var operation: Operation
        public var modification: PartialAttribute

        public init(operation: Operation, modification: PartialAttribute) {
            self.operation = operation
            self.modification = modification
        }
    }

    public static let tag = BERTag.application(6, constructed: true)

    public var object: ByteBuffer
    public var changes: [Change]

    public init(object: ByteBuffer, changes: [Change]) {
        self.object = object
        self.changes = changes
    }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "ModifyRequest")
        self.object = try content.readBEROctetString(context: "ModifyRequest.object")
        var list = try content.readBERElement(expecting: .sequence, context: "ModifyRequest.changes")
        try content.requireBERFullyConsumed(context: "ModifyRequest")
        var changes: [Change] = []
        changes.reserveCapacity(list.berElementCount())
        while list.readableBytes > 0 {
            var change = try list.readBERElement(expecting: .sequence, context: "ModifyRequest.change")
            let code = try change.readBERInteger(as: Int.self, tag: .enumerated, context: "ModifyRequest.operation")
            guard let operation = Change.Operation(rawValue: code) else {
                throw LDAPDecodingError(.integerOutOfRange, context: "ModifyRequest.operation")
            }
            let modification = try PartialAttribute(from: &change, context: "ModifyRequest.modification")
            try change.requireBERFullyConsumed(context: "ModifyRequest.change")
            changes.append(Change(operation: operation, modification: modification))
        }
        self.changes = changes
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag, lengthHint: 2) { buffer in
            buffer.writeBEROctetString(object)
            buffer.writeBERElement(.sequence, lengthHint: 2) { buffer in
                for change in changes {
                    buffer.writeBERElement(.sequence) { buffer in
                        buffer.writeBERInteger(change.operation.rawValue, tag: .enumerated)
                        change.modification.write(into: &buffer)
                    }
                }
            }
        }
    }
}

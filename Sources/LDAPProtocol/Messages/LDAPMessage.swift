import NIOCore

/// `LDAPMessage ::= SEQUENCE { messageID, protocolOp, controls [0] OPTIONAL }` (RFC 4511 §4.1.1).
public struct LDAPMessage: Hashable, Sendable {
    public static let controlsTag = BERTag.context(0, constructed: true)

    /// 0 is reserved for unsolicited notifications; requests use 1...Int32.max.
    public var messageID: Int32
    public var protocolOp: ProtocolOperation
    public var controls: [LDAPControl]

    public init(messageID: Int32, protocolOp: ProtocolOperation, controls: [LDAPControl] = []) {
        self.messageID = messageID
        self.protocolOp = protocolOp
        self.controls = controls
    }

    /// Decodes one whole LDAPMessage element. An error raised after the messageID was read carries it,
    /// so a server can tell envelope errors (close silently) from operation errors (Notice of Disconnection).
    public init(from buffer: inout ByteBuffer, options: LDAPDecodingOptions = .init()) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: .sequence, context: "LDAPMessage")
        let id = try content.readBERInteger(as: Int32.self, context: "LDAPMessage.messageID")
        guard id >= 0 else { throw LDAPDecodingError(.integerOutOfRange, context: "LDAPMessage.messageID") }
        self.messageID = id
        do {
            self.protocolOp = try ProtocolOperation(from: &content, options: options)
            var controls: [LDAPControl] = []
            if content.readableBytes > 0 {
                var list = try content.readBERElement(expecting: Self.controlsTag, context: "LDAPMessage.controls")
                controls.reserveCapacity(list.berElementCount())
                while list.readableBytes > 0 {
                    controls.append(try LDAPControl(from: &list))
                }
            }
            self.controls = controls
            try content.requireBERFullyConsumed(context: "LDAPMessage")
        } catch {
            var error = error
            error.messageID = id
            throw error
        }
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(.sequence, lengthHint: 3) { buffer in
            buffer.writeBERInteger(messageID)
            protocolOp.write(into: &buffer)
            if !controls.isEmpty {
                buffer.writeBERElement(Self.controlsTag) { buffer in
                    for control in controls { control.write(into: &buffer) }
                }
            }
        }
    }
}

import NIOCore

/// Turns a byte stream into LDAP messages: PDUs split at any byte and several PDUs per read are fine,
/// and a PDU whose declared length exceeds `maximumMessageSize` is refused as soon as its header is read,
/// before any of its content is buffered.
public struct LDAPMessageDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = LDAPMessage

    /// Largest whole PDU (header included) accepted.
    public var maximumMessageSize: Int
    public var options: LDAPDecodingOptions

    public init(maximumMessageSize: Int = 256 * 1024, options: LDAPDecodingOptions = .init()) {
        self.maximumMessageSize = maximumMessageSize
        self.options = options
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> LDAPMessage? {
        guard let frame = try Self.nextFrame(in: &buffer, maximumMessageSize: maximumMessageSize) else { return nil }
        var message = frame
        return try LDAPMessage(from: &message, options: options)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> LDAPMessage? {
        try decode(buffer: &buffer)
    }

    /// Splits the next complete PDU off `buffer` (as a slice, no copy), or returns nil when more bytes are needed.
    /// Throws on an envelope that is not a SEQUENCE or declares more than `maximumMessageSize` bytes.
    public static func nextFrame(
        in buffer: inout ByteBuffer,
        maximumMessageSize: Int
    ) throws(LDAPDecodingError) -> ByteBuffer? {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        // Every LDAPMessage is a universal constructed SEQUENCE: reject anything else at the first byte.
        guard first == 0x30 else {
            var probe = buffer
            let found = (try? probe.readBERTag()) ?? BERTag(.universal, constructed: false, number: UInt32(first))
            throw LDAPDecodingError(.unexpectedTag(expected: .sequence, found: found), context: "LDAPMessage")
        }
        guard let size = try buffer.berElementSize() else { return nil }
        guard size <= maximumMessageSize else {
            throw LDAPDecodingError(.messageTooLarge(size: size, limit: maximumMessageSize), context: "LDAPMessage")
        }
        return buffer.readSlice(length: size)
    }
}

/// Writes LDAP messages straight into the outbound buffer.
public struct LDAPMessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = LDAPMessage

    public init() {}

    public func encode(data: LDAPMessage, out: inout ByteBuffer) {
        data.write(into: &out)
    }
}

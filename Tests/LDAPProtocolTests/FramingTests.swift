import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import LDAPProtocol

@Suite("Stream framing")
struct FramingTests {
    @Test("messages split at every byte boundary and coalesced in one read decode the same")
    func verifier() throws {
        let pairs: [(ByteBuffer, [LDAPMessage])] = sampleMessages.map { message in
            var buffer = ByteBuffer()
            message.write(into: &buffer)
            return (buffer, [message])
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            LDAPMessageDecoder()
        }
    }

    @Test("several PDUs in one read")
    func coalesced() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LDAPMessageDecoder()))
        var buffer = ByteBuffer()
        for message in sampleMessages { message.write(into: &buffer) }
        try channel.writeInbound(buffer)
        var decoded: [LDAPMessage] = []
        while let message = try channel.readInbound(as: LDAPMessage.self) { decoded.append(message) }
        #expect(decoded == sampleMessages)
        _ = try channel.finish()
    }

    @Test("a PDU declared larger than the limit is refused from its header alone")
    func tooLarge() throws {
        var decoder = LDAPMessageDecoder(maximumMessageSize: 1024)
        // Header of a 1 GiB SEQUENCE, no content yet.
        var header = hexBuffer("30 84 40 00 00 00 02 01 01")
        #expect { _ = try decoder.decode(buffer: &header) } throws: { error in
            if case .messageTooLarge(let size, 1024) = (error as? LDAPDecodingError)?.kind { return size > 1 << 30 }
            return false
        }
    }

    @Test("a stream that does not start with a SEQUENCE is refused at its first byte")
    func notASequence() {
        var decoder = LDAPMessageDecoder()
        var junk = ByteBuffer(string: "GET / HTTP/1.1\r\n")
        #expect(throws: LDAPDecodingError.self) { _ = try decoder.decode(buffer: &junk) }
    }

    @Test("the encoder writes what the decoder reads")
    func encoder() throws {
        let channel = EmbeddedChannel(handlers: [MessageToByteHandler(LDAPMessageEncoder())])
        try channel.writeOutbound(sampleMessages[0])
        let bytes = try #require(try channel.readOutbound(as: ByteBuffer.self))
        var copy = bytes
        #expect(try LDAPMessage(from: &copy) == sampleMessages[0])
        _ = try channel.finish()
    }
}

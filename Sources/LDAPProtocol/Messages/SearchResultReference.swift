import NIOCore

/// `SearchResultReference ::= [APPLICATION 19] SEQUENCE SIZE (1..MAX) OF uri URI`.
public struct SearchResultReference: Hashable, Sendable {
    public static let tag = BERTag.application(19, constructed: true)

    public var uris: [ByteBuffer]

    public init(uris: [ByteBuffer]) { self.uris = uris }

    public init(from buffer: inout ByteBuffer) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "SearchResultReference")
        var uris: [ByteBuffer] = []
        while content.readableBytes > 0 {
            uris.append(try content.readBEROctetString(context: "SearchResultReference.uri"))
        }
        guard !uris.isEmpty else {
            throw LDAPDecodingError(.invalidValue("at least one URI is required"), context: "SearchResultReference")
        }
        self.uris = uris
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag) { buffer in
            for uri in uris { buffer.writeBEROctetString(uri) }
        }
    }
}

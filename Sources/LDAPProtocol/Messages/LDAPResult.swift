import NIOCore

/// `LDAPResult` (RFC 4511 §4.1.9): the outcome carried by every response.
public struct LDAPResult: Hashable, Sendable {
    public var resultCode: ResultCode
    public var matchedDN: ByteBuffer
    public var diagnosticMessage: ByteBuffer
    /// Referral URIs, present only with resultCode `referral`.
    public var referral: [ByteBuffer]?

    public init(
        resultCode: ResultCode,
        matchedDN: ByteBuffer = ByteBuffer(),
        diagnosticMessage: ByteBuffer = ByteBuffer(),
        referral: [ByteBuffer]? = nil
    ) {
        self.resultCode = resultCode
        self.matchedDN = matchedDN
        self.diagnosticMessage = diagnosticMessage
        self.referral = referral
    }

    public init(_ resultCode: ResultCode, matchedDN: String = "", diagnosticMessage: String = "") {
        self.init(
            resultCode: resultCode,
            matchedDN: ByteBuffer(string: matchedDN),
            diagnosticMessage: ByteBuffer(string: diagnosticMessage)
        )
    }

    static let referralTag = BERTag.context(3, constructed: true)

    /// Reads the LDAPResult components from the content of a response element, leaving what follows.
    init(components buffer: inout ByteBuffer, context: String) throws(LDAPDecodingError) {
        let code = try buffer.readBERInteger(as: Int32.self, tag: .enumerated, context: "\(context).resultCode")
        self.resultCode = ResultCode(rawValue: code)
        self.matchedDN = try buffer.readBEROctetString(context: "\(context).matchedDN")
        self.diagnosticMessage = try buffer.readBEROctetString(context: "\(context).diagnosticMessage")
        if buffer.peekBERTag() == Self.referralTag {
            var uris = try buffer.readBERElement(expecting: Self.referralTag, context: "\(context).referral")
            var list: [ByteBuffer] = []
            while uris.readableBytes > 0 {
                list.append(try uris.readBEROctetString(context: "\(context).referral"))
            }
            guard !list.isEmpty else {
                throw LDAPDecodingError(.invalidValue("referral must hold at least one URI"), context: context)
            }
            self.referral = list
        } else {
            self.referral = nil
        }
    }

    /// Reads a response that is exactly an LDAPResult under `tag`.
    init(from buffer: inout ByteBuffer, tag: BERTag, context: String) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: tag, context: context)
        try self.init(components: &content, context: context)
        try content.requireBERFullyConsumed(context: context)
    }

    /// Writes the LDAPResult components (no enclosing element).
    func writeComponents(into buffer: inout ByteBuffer) {
        buffer.writeBERInteger(resultCode.rawValue, tag: .enumerated)
        buffer.writeBEROctetString(matchedDN)
        buffer.writeBEROctetString(diagnosticMessage)
        if let referral {
            buffer.writeBERElement(Self.referralTag) { buffer in
                for uri in referral { buffer.writeBEROctetString(uri) }
            }
        }
    }

    /// Writes a response that is exactly an LDAPResult under `tag`.
    func write(into buffer: inout ByteBuffer, tag: BERTag) {
        buffer.writeBERElement(tag) { self.writeComponents(into: &$0) }
    }
}

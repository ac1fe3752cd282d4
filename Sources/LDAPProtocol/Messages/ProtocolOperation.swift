import NIOCore

/// The `protocolOp` CHOICE of an LDAPMessage (RFC 4511 §4.2): every LDAPv3 request and response.
public enum ProtocolOperation: Hashable, Sendable {
    case bindRequest(BindRequest)
    case bindResponse(BindResponse)
    case unbindRequest
    case searchRequest(SearchRequest)
    case searchResultEntry(SearchResultEntry)
    case searchResultDone(LDAPResult)
    case searchResultReference(SearchResultReference)
    case modifyRequest(ModifyRequest)
    case modifyResponse(LDAPResult)
    case addRequest(AddRequest)
    case addResponse(LDAPResult)
    /// The DN of the entry to delete.
    case delRequest(ByteBuffer)
    case delResponse(LDAPResult)
    case modifyDNRequest(ModifyDNRequest)
    case modifyDNResponse(LDAPResult)
    case compareRequest(CompareRequest)
    case compareResponse(LDAPResult)
    /// The messageID of the operation to abandon.
    case abandonRequest(Int32)
    case extendedRequest(ExtendedRequest)
    case extendedResponse(ExtendedResponse)
    case intermediateResponse(IntermediateResponse)

    static let unbindTag = BERTag.application(2, constructed: false)
    static let searchResultDoneTag = BERTag.application(5, constructed: true)
    static let modifyResponseTag = BERTag.application(7, constructed: true)
    static let addResponseTag = BERTag.application(9, constructed: true)
    static let delRequestTag = BERTag.application(10, constructed: false)
    static let delResponseTag = BERTag.application(11, constructed: true)
    static let modifyDNResponseTag = BERTag.application(13, constructed: true)
    static let compareResponseTag = BERTag.application(15, constructed: true)
    static let abandonTag = BERTag.application(16, constructed: false)

    /// The operation's name as RFC 4511 spells it, for logs and metrics.
    public var name: String {
        switch self {
        case .bindRequest: "BindRequest"
        case .bindResponse: "BindResponse"
        case .unbindRequest: "UnbindRequest"
        case .searchRequest: "SearchRequest"
        case .searchResultEntry: "SearchResultEntry"
        case .searchResultDone: "SearchResultDone"
        case .searchResultReference: "SearchResultReference"
        case .modifyRequest: "ModifyRequest"
        case .modifyResponse: "ModifyResponse"
        case .addRequest: "AddRequest"
        case .addResponse: "AddResponse"
        case .delRequest: "DelRequest"
        case .delResponse: "DelResponse"
        case .modifyDNRequest: "ModifyDNRequest"
        case .modifyDNResponse: "ModifyDNResponse"
        case .compareRequest: "CompareRequest"
        case .compareResponse: "CompareResponse"
        case .abandonRequest: "AbandonRequest"
        case .extendedRequest: "ExtendedRequest"
        case .extendedResponse: "ExtendedResponse"
        case .intermediateResponse: "IntermediateResponse"
        }
    }

    public init(from buffer: inout ByteBuffer, options: LDAPDecodingOptions = .init()) throws(LDAPDecodingError) {
        guard let tag = buffer.peekBERTag() else { throw LDAPDecodingError(.truncated, context: "protocolOp") }
        switch tag {
        case BindRequest.tag: self = .bindRequest(try BindRequest(from: &buffer))
        case BindResponse.tag: self = .bindResponse(try BindResponse(from: &buffer))
        case Self.unbindTag:
            try buffer.readBERNull(tag: Self.unbindTag, context: "UnbindRequest")
            self = .unbindRequest
        case SearchRequest.tag: self = .searchRequest(try SearchRequest(from: &buffer, options: options))
        case SearchResultEntry.tag: self = .searchResultEntry(try SearchResultEntry(from: &buffer))
        case Self.searchResultDoneTag:
            self = .searchResultDone(try LDAPResult(from: &buffer, tag: tag, context: "SearchResultDone"))
        case SearchResultReference.tag: self = .searchResultReference(try SearchResultReference(from: &buffer))
        case ModifyRequest.tag: self = .modifyRequest(try ModifyRequest(from: &buffer))
        case Self.modifyResponseTag:
            self = .modifyResponse(try LDAPResult(from: &buffer, tag: tag, context: "ModifyResponse"))
        case AddRequest.tag: self = .addRequest(try AddRequest(from: &buffer))
        case Self.addResponseTag: self = .addResponse(try LDAPResult(from: &buffer, tag: tag, context: "AddResponse"))
        case Self.delRequestTag:
            self = .delRequest(try buffer.readBEROctetString(tag: Self.delRequestTag, context: "DelRequest"))
        case Self.delResponseTag: self = .delResponse(try LDAPResult(from: &buffer, tag: tag, context: "DelResponse"))
        case ModifyDNRequest.tag: self = .modifyDNRequest(try ModifyDNRequest(from: &buffer))
        case Self.modifyDNResponseTag:
            self = .modifyDNResponse(try LDAPResult(from: &buffer, tag: tag, context: "ModifyDNResponse"))
        case CompareRequest.tag: self = .compareRequest(try CompareRequest(from: &buffer))
        case Self.compareResponseTag:
            self = .compareResponse(try LDAPResult(from: &buffer, tag: tag, context: "CompareResponse"))
        case Self.abandonTag:
            let id = try buffer.readBERInteger(as: Int32.self, tag: Self.abandonTag, context: "AbandonRequest")
            guard id >= 0 else { throw LDAPDecodingError(.integerOutOfRange, context: "AbandonRequest") }
            self = .abandonRequest(id)
        case ExtendedRequest.tag: self = .extendedRequest(try ExtendedRequest(from: &buffer))
        case ExtendedResponse.tag: self = .extendedResponse(try ExtendedResponse(from: &buffer))
        case IntermediateResponse.tag: self = .intermediateResponse(try IntermediateResponse(from: &buffer))
        default: throw LDAPDecodingError(.unknownChoice(tag), context: "protocolOp")
        }
    }

    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .bindRequest(let op): op.write(into: &buffer)
        case .bindResponse(let op): op.write(into: &buffer)
        case .unbindRequest: buffer.writeBERNull(tag: Self.unbindTag)
        case .searchRequest(let op): op.write(into: &buffer)
        case .searchResultEntry(let op): op.write(into: &buffer)
        case .searchResultDone(let result): result.write(into: &buffer, tag: Self.searchResultDoneTag)
        case .searchResultReference(let op): op.write(into: &buffer)
        case .modifyRequest(let op): op.write(into: &buffer)
        case .modifyResponse(let result): result.write(into: &buffer, tag: Self.modifyResponseTag)
        case .addRequest(let op): op.write(into: &buffer)
        case .addResponse(let result): result.write(into: &buffer, tag: Self.addResponseTag)
        case .delRequest(let dn): buffer.writeBEROctetString(dn, tag: Self.delRequestTag)
        case .delResponse(let result): result.write(into: &buffer, tag: Self.delResponseTag)
        case .modifyDNRequest(let op): op.write(into: &buffer)
        case .modifyDNResponse(let result): result.write(into: &buffer, tag: Self.modifyDNResponseTag)
        case .compareRequest(let op): op.write(into: &buffer)
        case .compareResponse(let result): result.write(into: &buffer, tag: Self.compareResponseTag)
        case .abandonRequest(let id): buffer.writeBERInteger(id, tag: Self.abandonTag)
        case .extendedRequest(let op): op.write(into: &buffer)
        case .extendedResponse(let op): op.write(into: &buffer)
        case .intermediateResponse(let op): op.write(into: &buffer)
        }
    }
}

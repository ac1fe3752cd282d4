import LDAPProtocol
import NIOCore

extension LDAPMessage {
    /// The response a request gets when the server answers it itself (busy, unavailable, StartTLS): the
    /// response type that matches the request, with its messageID. `nil` for messages that have no response.
    func serverResponse(_ result: LDAPResult) -> LDAPMessage? {
        let operation: ProtocolOperation
        switch protocolOp {
        case .bindRequest: operation = .bindResponse(BindResponse(result: result))
        case .searchRequest: operation = .searchResultDone(result)
        case .modifyRequest: operation = .modifyResponse(result)
        case .addRequest: operation = .addResponse(result)
        case .delRequest: operation = .delResponse(result)
        case .modifyDNRequest: operation = .modifyDNResponse(result)
        case .compareRequest: operation = .compareResponse(result)
        case .extendedRequest: operation = .extendedResponse(ExtendedResponse(result: result))
        default: return nil
        }
        return LDAPMessage(messageID: messageID, protocolOp: operation)
    }

    /// Whether this is a request a client may send (responses and intermediate messages are not).
    var isClientRequest: Bool {
        switch protocolOp {
        case .bindRequest, .unbindRequest, .searchRequest, .modifyRequest, .addRequest, .delRequest,
            .modifyDNRequest, .compareRequest, .abandonRequest, .extendedRequest:
            return true
        case .bindResponse, .searchResultEntry, .searchResultDone, .searchResultReference, .modifyResponse,
            .addResponse, .delResponse, .modifyDNResponse, .compareResponse, .extendedResponse,
            .intermediateResponse:
            return false
        }
    }

    /// The operation's name in the access log, as slapd writes it.
    var accessLogName: String {
        switch protocolOp {
        case .bindRequest: "BIND"
        case .unbindRequest: "UNBIND"
        case .searchRequest: "SRCH"
        case .modifyRequest: "MOD"
        case .addRequest: "ADD"
        case .delRequest: "DEL"
        case .modifyDNRequest: "MODRDN"
        case .compareRequest: "CMP"
        case .abandonRequest: "ABANDON"
        case .extendedRequest: "EXT"
        default: protocolOp.name
        }
    }

    /// The DN a request is about, for the access log of requests the server answers itself.
    var accessLogDN: String {
        switch protocolOp {
        case .bindRequest(let request): String(buffer: request.name)
        case .searchRequest(let request): String(buffer: request.baseObject)
        case .delRequest(let dn): String(buffer: dn)
        default: ""
        }
    }

    /// The details of a request the server answers itself: the OID of an extended request.
    var accessLogDetails: String {
        guard case .extendedRequest(let request) = protocolOp else { return "" }
        return "oid=\(AccessLog.escaped(String(buffer: request.name)))"
    }

    /// Whether this is the StartTLS extended request.
    var isStartTLS: Bool {
        guard case .extendedRequest(let request) = protocolOp else { return false }
        return request.name.readableBytesView.elementsEqual(StartTLS.oid.utf8)
    }

    /// Whether this is a Bind request.
    var isBind: Bool {
        if case .bindRequest = protocolOp { return true }
        return false
    }
}

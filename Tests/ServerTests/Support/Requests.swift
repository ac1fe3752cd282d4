import LDAPProtocol
import NIOCore

/// Requests the tests send.
enum Requests {
    static func bind(_ id: Int32, dn: String, password: String = "secret") -> LDAPMessage {
        LDAPMessage(
            messageID: id,
            protocolOp: .bindRequest(BindRequest(name: ByteBuffer(string: dn), authentication: .simple(ByteBuffer(string: password)))))
    }

    /// A search the scripted directory answers with `entries` entries, `delayMilliseconds` apart.
    static func search(_ id: Int32, entries: Int, delayMilliseconds: Int = 0, padding: Int = 0) -> LDAPMessage {
        LDAPMessage(
            messageID: id,
            protocolOp: .searchRequest(SearchRequest(
                baseObject: ByteBuffer(string: "entries=\(entries),delay=\(delayMilliseconds),padding=\(padding)"),
                scope: .wholeSubtree,
                filter: .present(ByteBuffer(string: "objectClass")))))
    }

    /// A compare the scripted directory answers after `delayMilliseconds`.
    static func compare(_ id: Int32, delayMilliseconds: Int = 0) -> LDAPMessage {
        LDAPMessage(
            messageID: id,
            protocolOp: .compareRequest(CompareRequest(
                entry: ByteBuffer(string: "delay=\(delayMilliseconds)"),
                assertion: AttributeValueAssertion("cn", "x"))))
    }

    /// A modify (a write) the scripted directory answers after `delayMilliseconds`, ignoring cancellation.
    static func modify(_ id: Int32, delayMilliseconds: Int = 0) -> LDAPMessage {
        LDAPMessage(
            messageID: id,
            protocolOp: .modifyRequest(ModifyRequest(
                object: ByteBuffer(string: "delay=\(delayMilliseconds)"),
                changes: [.init(operation: .replace, modification: PartialAttribute("description", ["x"]))])))
    }

    static func whoAmI(_ id: Int32) -> LDAPMessage {
        LDAPMessage(messageID: id, protocolOp: .extendedRequest(WhoAmI.request))
    }

    static func startTLS(_ id: Int32) -> LDAPMessage {
        LDAPMessage(messageID: id, protocolOp: .extendedRequest(StartTLS.request))
    }

    static func abandon(_ id: Int32, target: Int32) -> LDAPMessage {
        LDAPMessage(messageID: id, protocolOp: .abandonRequest(target))
    }

    static func unbind(_ id: Int32) -> LDAPMessage {
        LDAPMessage(messageID: id, protocolOp: .unbindRequest)
    }
}

extension LDAPMessage {
    /// The result of a final response, `nil` for entries.
    var result: LDAPResult? {
        switch protocolOp {
        case .bindResponse(let response): response.result
        case .searchResultDone(let result), .modifyResponse(let result), .addResponse(let result),
            .delResponse(let result), .modifyDNResponse(let result), .compareResponse(let result):
            result
        case .extendedResponse(let response): response.result
        default: nil
        }
    }

    var isSearchEntry: Bool {
        if case .searchResultEntry = protocolOp { return true }
        return false
    }

    var isSearchDone: Bool {
        if case .searchResultDone = protocolOp { return true }
        return false
    }

    /// The value of an ExtendedResponse, as text.
    var extendedValue: String? {
        guard case .extendedResponse(let response) = protocolOp, let value = response.value else { return nil }
        return String(buffer: value)
    }

    /// The responseName of an ExtendedResponse.
    var extendedName: String? {
        guard case .extendedResponse(let response) = protocolOp, let name = response.name else { return nil }
        return String(buffer: name)
    }
}

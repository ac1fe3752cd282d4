import NIOCore
import Testing

@testable import LDAPProtocol

/// One sample of every protocol operation, with controls on some, for round-trip tests.
let sampleMessages: [LDAPMessage] = {
    let dn = ByteBuffer(string: "uid=jdupont-xt,ou=people,dc=dgfip,dc=finances,dc=gouv,dc=fr")
    let result = LDAPResult(.noSuchObject, matchedDN: "dc=dgfip,dc=finances,dc=gouv,dc=fr", diagnosticMessage: "no such entry")
    let referral = LDAPResult(
        resultCode: .referral, matchedDN: ByteBuffer(), diagnosticMessage: ByteBuffer(),
        referral: [ByteBuffer(string: "ldap://other.example/dc=x")])
    let filter = Filter.and([
        .equalityMatch(.init("objectClass", "person")),
        .or([.present(ByteBuffer(string: "mail")), .not(.approxMatch(.init("cn", "dupond")))]),
        .substrings(.init(attributeDescription: ByteBuffer(string: "cn"), initial: ByteBuffer(string: "J"),
                          any: [ByteBuffer(string: "an"), ByteBuffer(string: "-")], final: ByteBuffer(string: "t"))),
        .greaterOrEqual(.init("pwdChangedTime", "20260101000000Z")),
        .lessOrEqual(.init("uidNumber", "1000")),
        .extensibleMatch(.init(matchingRule: ByteBuffer(string: "2.5.13.5"), type: ByteBuffer(string: "cn"),
                               matchValue: ByteBuffer(string: "Jean"), dnAttributes: true)),
        .extensibleMatch(.init(matchingRule: nil, type: ByteBuffer(string: "ou"), matchValue: ByteBuffer(string: "x"))),
        .and([]), .or([]),
    ])
    let person = PartialAttribute("objectClass", ["top", "person", "inetOrgPerson"])
    return [
        LDAPMessage(messageID: 1, protocolOp: .bindRequest(.init(name: dn, authentication: .simple(ByteBuffer(string: "secret"))))),
        LDAPMessage(messageID: 2, protocolOp: .bindRequest(.init(name: ByteBuffer(), authentication:
            .sasl(mechanism: ByteBuffer(string: "EXTERNAL"), credentials: nil)))),
        LDAPMessage(messageID: 3, protocolOp: .bindRequest(.init(name: ByteBuffer(), authentication:
            .sasl(mechanism: ByteBuffer(string: "PLAIN"), credentials: ByteBuffer(bytes: [0, 1, 2]))))),
        LDAPMessage(messageID: 3, protocolOp: .bindResponse(.init(result: LDAPResult(.saslBindInProgress),
            serverSaslCredentials: ByteBuffer(string: "challenge"))),
            controls: [PasswordPolicyResponse(warning: .timeBeforeExpiration(864_000)).control()]),
        LDAPMessage(messageID: 4, protocolOp: .unbindRequest),
        LDAPMessage(messageID: 5, protocolOp: .searchRequest(.init(baseObject: dn, scope: .wholeSubtree,
            derefAliases: .derefAlways, sizeLimit: 500, timeLimit: 30, typesOnly: true, filter: filter,
            attributes: [ByteBuffer(string: "cn"), ByteBuffer(string: "+")])),
            controls: [PagedResultsControl(size: 100, cookie: ByteBuffer(string: "c")).control(criticality: true)]),
        LDAPMessage(messageID: 5, protocolOp: .searchResultEntry(.init(objectName: dn, attributes: [
            person, PartialAttribute("cn", ["Jean Dupont"]), PartialAttribute("jpegPhoto", []),
        ]))),
        LDAPMessage(messageID: 5, protocolOp: .searchResultReference(.init(uris: [ByteBuffer(string: "ldap://a/"), ByteBuffer(string: "ldap://b/")]))),
        LDAPMessage(messageID: 5, protocolOp: .searchResultDone(referral)),
        LDAPMessage(messageID: 6, protocolOp: .modifyRequest(.init(object: dn, changes: [
            .init(operation: .replace, modification: PartialAttribute("mail", ["jean.dupont@example.fr"])),
            .init(operation: .delete, modification: PartialAttribute("mobile", [])),
            .init(operation: .add, modification: PartialAttribute("description", ["a", "b"])),
            .init(operation: .increment, modification: PartialAttribute("uidNumber", ["1"])),
        ])), controls: [AssertionControl(assertion: .present(ByteBuffer(string: "uid"))).control(),
                        ReadEntryControl(kind: .postRead, attributes: [ByteBuffer(string: "*")]).requestControl()]),
        LDAPMessage(messageID: 6, protocolOp: .modifyResponse(result)),
        LDAPMessage(messageID: 7, protocolOp: .addRequest(.init(entry: dn, attributes: [person]))),
        LDAPMessage(messageID: 7, protocolOp: .addResponse(LDAPResult(.entryAlreadyExists))),
        LDAPMessage(messageID: 8, protocolOp: .delRequest(dn)),
        LDAPMessage(messageID: 8, protocolOp: .delResponse(LDAPResult(.notAllowedOnNonLeaf))),
        LDAPMessage(messageID: 9, protocolOp: .modifyDNRequest(.init(entry: dn, newRDN: ByteBuffer(string: "uid=x"),
            deleteOldRDN: true, newSuperior: ByteBuffer(string: "ou=archive,dc=fr")))),
        LDAPMessage(messageID: 9, protocolOp: .modifyDNRequest(.init(entry: dn, newRDN: ByteBuffer(string: "uid=y"), deleteOldRDN: false))),
        LDAPMessage(messageID: 9, protocolOp: .modifyDNResponse(LDAPResult(.success))),
        LDAPMessage(messageID: 10, protocolOp: .compareRequest(.init(entry: dn, assertion: .init("codique", "0750001")))),
        LDAPMessage(messageID: 10, protocolOp: .compareResponse(LDAPResult(.compareTrue))),
        LDAPMessage(messageID: 11, protocolOp: .abandonRequest(10)),
        LDAPMessage(messageID: 12, protocolOp: .extendedRequest(StartTLS.request)),
        LDAPMessage(messageID: 12, protocolOp: .extendedResponse(StartTLS.response(LDAPResult(.success)))),
        LDAPMessage(messageID: 13, protocolOp: .extendedRequest(PasswordModifyRequest(userIdentity: dn,
            oldPassword: ByteBuffer(string: "old"), newPassword: ByteBuffer(string: "new")).request)),
        LDAPMessage(messageID: 13, protocolOp: .extendedResponse(PasswordModifyResponse(
            generatedPassword: ByteBuffer(string: "gen")).response())),
        LDAPMessage(messageID: 14, protocolOp: .extendedResponse(WhoAmI.response(authorizationID: "dn:cn=admin"))),
        LDAPMessage(messageID: 15, protocolOp: .intermediateResponse(.init(name: ByteBuffer(string: "1.3.6.1.4.1.4203.1.9.1.4"),
            value: ByteBuffer(bytes: [0xA0, 0x00])))),
        LDAPMessage(messageID: 15, protocolOp: .intermediateResponse(.init())),
        LDAPMessage(messageID: 0, protocolOp: .extendedResponse(ExtendedResponse(
            result: LDAPResult(.unavailable, diagnosticMessage: "shutting down"),
            name: ByteBuffer(string: "1.3.6.1.4.1.1466.20036")))),
        LDAPMessage(messageID: Int32.max, protocolOp: .delResponse(LDAPResult(resultCode: ResultCode(rawValue: 4096)))),
    ]
}()

@Suite("LDAP messages")
struct MessageTests {
    @Test("every operation round-trips through encode and decode", arguments: sampleMessages)
    func roundTrip(message: LDAPMessage) throws {
        var buffer = ByteBuffer()
        message.write(into: &buffer)
        let decoded = try LDAPMessage(from: &buffer)
        #expect(decoded == message)
        #expect(buffer.readableBytes == 0)
    }

    @Test("the anonymous simple bind that ldapsearch -x sends")
    func anonymousBindBytes() throws {
        var buffer = hexBuffer("30 0c 02 01 01 60 07 02 01 03 04 00 80 00")
        let message = try LDAPMessage(from: &buffer)
        #expect(message == LDAPMessage(messageID: 1, protocolOp: .bindRequest(.init(name: ByteBuffer(),
            authentication: .simple(ByteBuffer())))))
        var encoded = ByteBuffer()
        message.write(into: &encoded)
        #expect(encoded.hexString == "300c020101600702010304008000")
    }

    @Test("every RFC 4511 result code round-trips in a response", arguments: ResultCode.rfc4511Codes)
    func resultCodes(code: ResultCode) throws {
        let message = LDAPMessage(messageID: 1, protocolOp: .modifyResponse(LDAPResult(code, diagnosticMessage: "x")))
        var buffer = ByteBuffer()
        message.write(into: &buffer)
        #expect(try LDAPMessage(from: &buffer).protocolOp == .modifyResponse(LDAPResult(code, diagnosticMessage: "x")))
        #expect(code.description != "resultCode(\(code.rawValue))")
    }

    @Test("decoded values are slices of the received buffer, not copies")
    func slicesShareStorage() throws {
        var buffer = ByteBuffer()
        sampleMessages[5].write(into: &buffer)
        let base = buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let message = try LDAPMessage(from: &buffer)
        guard case .searchRequest(let search) = message.protocolOp else {
            Issue.record("not a search")
            return
        }
        let sliceBase = search.baseObject.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        // The base DN lies inside the original buffer's storage, a few bytes after the start of the PDU.
        #expect(sliceBase > base && sliceBase - base < 64)
    }

    @Test("an error inside an operation carries the messageID; an envelope error does not")
    func errorsCarryMessageID() {
        // messageID 7, then an unknown application tag 30.
        var inner = hexBuffer("30 05 02 01 07 7e 00")
        #expect { _ = try LDAPMessage(from: &inner) } throws: { error in
            (error as? LDAPDecodingError)?.messageID == 7
        }
        var envelope = hexBuffer("30 03 04 01 07")
        #expect { _ = try LDAPMessage(from: &envelope) } throws: { error in
            (error as? LDAPDecodingError)?.messageID == nil
        }
    }

    @Test("malformed operations are refused with a reason", arguments: [
        ("30 0c 02 01 01 60 07 02 01 00 04 00 80 00", "version 0"),
        ("30 0c 02 01 01 60 07 02 01 03 04 00 81 00", "unknown authentication choice"),
        ("30 05 02 01 ff 42 00", "negative messageID"),
        ("30 06 02 01 01 42 01 00", "unbind with content"),
        ("30 06 02 01 01 50 01 80", "negative abandon id"),
        ("30 0d 02 01 01 60 07 02 01 03 04 00 80 00 00", "trailing byte in the message"),
        ("30 0e 02 01 01 60 09 02 01 03 04 00 80 00 05 00", "trailing element in the bind"),
        ("30 1f 02 01 02 63 1a 04 00 0a 01 05 0a 01 00 02 01 00 02 01 00 01 01 00 87 02 63 6e 30 00", "scope 5"),
        ("30 1d 02 01 02 63 18 04 00 0a 01 00 0a 01 00 02 01 00 02 01 00 01 01 00 a4 04 04 02 63 6e 30 00", "substrings without parts"),
        ("30 1d 02 01 02 63 18 04 00 0a 01 00 0a 01 00 02 01 00 02 01 00 01 01 00 a9 04 83 02 63 6e 30 00", "extensible without rule or type"),
        ("30 1b 02 01 02 63 16 04 00 0a 01 00 0a 01 00 02 01 00 02 01 00 01 01 00 8a 00 30 00", "unknown filter choice"),
    ])
    func malformed(hex: String, reason: String) {
        var buffer = hexBuffer(hex)
        #expect(throws: LDAPDecodingError.self, "\(reason)") { _ = try LDAPMessage(from: &buffer) }
    }

    @Test("a filter nested 10,000 levels deep is refused without overflowing the stack")
    func deepFilter() {
        // Build (!(!(!...(objectClass=*)...))) as BER from the inside out, without recursion.
        var filter = ByteBuffer()
        filter.writeBEROctetString("objectClass", tag: .context(7, constructed: false))
        for _ in 0..<10_000 {
            var outer = ByteBuffer()
            outer.writeBERTag(.context(2, constructed: true))
            outer.writeBERLength(filter.readableBytes)
            outer.writeImmutableBuffer(filter)
            filter = outer
        }
        var buffer = ByteBuffer()
        buffer.writeBERElement(.sequence) { buffer in
            buffer.writeBERInteger(1)
            buffer.writeBERElement(.application(3, constructed: true)) { buffer in
                buffer.writeBEROctetString("")
                buffer.writeBERInteger(2, tag: .enumerated)
                buffer.writeBERInteger(0, tag: .enumerated)
                buffer.writeBERInteger(0)
                buffer.writeBERInteger(0)
                buffer.writeBERBoolean(false)
                buffer.writeImmutableBuffer(filter)
                buffer.writeBERElement(.sequence) { _ in }
            }
        }
        #expect { _ = try LDAPMessage(from: &buffer) } throws: { error in
            let error = error as? LDAPDecodingError
            return error?.kind == .nestingTooDeep && error?.messageID == 1
        }
    }
}

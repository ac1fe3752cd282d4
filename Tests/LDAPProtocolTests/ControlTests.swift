import NIOCore
import Testing

@testable import LDAPProtocol

@Suite("Controls and extended operations")
struct ControlTests {
    @Test("paged results value round-trips and matches RFC 2696's encoding")
    func paged() throws {
        let control = PagedResultsControl(size: 10, cookie: ByteBuffer()).control()
        #expect(control.oid == "1.2.840.113556.1.4.319")
        #expect(control.value?.hexString == "300502010a0400")
        let decoded = try PagedResultsControl(controlValue: control.value)
        #expect(decoded.size == 10 && decoded.cookie.readableBytes == 0)
        #expect(throws: LDAPDecodingError.self) { _ = try PagedResultsControl(controlValue: nil) }
        #expect(throws: LDAPDecodingError.self) { _ = try PagedResultsControl(controlValue: hexBuffer("3005 0201ff 0400")) }
    }

    @Test("password policy response: every warning and error", arguments: [
        PasswordPolicyResponse(),
        PasswordPolicyResponse(warning: .timeBeforeExpiration(864_000)),
        PasswordPolicyResponse(warning: .graceAuthenticationsRemaining(2)),
        PasswordPolicyResponse(error: .accountLocked),
        PasswordPolicyResponse(warning: .graceAuthenticationsRemaining(0), error: .passwordExpired),
        PasswordPolicyResponse(error: .passwordInHistory),
        PasswordPolicyResponse(error: .changeAfterReset),
    ])
    func passwordPolicy(response: PasswordPolicyResponse) throws {
        let control = response.control()
        #expect(control.oid == PasswordPolicyControl.oid)
        #expect(try PasswordPolicyResponse(controlValue: control.value) == response)
    }

    @Test("password policy response bytes as OpenLDAP's ppolicy overlay sends them")
    func passwordPolicyBytes() throws {
        // timeBeforeExpiration 864000: 30 07 a0 05 80 03 0d 2f 00
        #expect(PasswordPolicyResponse(warning: .timeBeforeExpiration(864_000)).control().value?.hexString
            == "3007a00580030d2f00")
        // accountLocked: 30 03 81 01 01
        #expect(try PasswordPolicyResponse(controlValue: hexBuffer("30 03 81 01 01")).error == .accountLocked)
        #expect(PasswordPolicyControl.request().value == nil)
    }

    @Test("assertion control carries a filter")
    func assertion() throws {
        let filter = Filter.and([.equalityMatch(.init("codique", "0750001")), .present(ByteBuffer(string: "mail"))])
        let control = AssertionControl(assertion: filter).control()
        #expect(control.criticality)
        #expect(try AssertionControl(controlValue: control.value).assertion == filter)
        #expect(throws: LDAPDecodingError.self) { _ = try AssertionControl(controlValue: hexBuffer("87 01 61 00")) }
    }

    @Test("pre-read and post-read request and response")
    func readEntry() throws {
        for kind in [ReadEntryControl.Kind.preRead, .postRead] {
            let request = ReadEntryControl(kind: kind, attributes: [ByteBuffer(string: "cn"), ByteBuffer(string: "entryCSN")])
            #expect(try ReadEntryControl(request: request.requestControl()) == request)
            let entry = SearchResultEntry(objectName: ByteBuffer(string: "cn=x"), attributes: [PartialAttribute("cn", ["x"])])
            let response = ReadEntryControl.responseControl(kind: kind, entry: entry)
            #expect(try ReadEntryControl.entry(fromResponse: response) == entry)
        }
        #expect(try ReadEntryControl(request: LDAPControl("1.2.3")) == nil)
    }

    @Test("Password Modify request value with and without fields")
    func passwordModify() throws {
        let full = PasswordModifyRequest(userIdentity: ByteBuffer(string: "uid=a"), oldPassword: ByteBuffer(string: "o"),
                                         newPassword: ByteBuffer(string: "n"))
        #expect(try PasswordModifyRequest(requestValue: full.request.value) == full)
        let empty = PasswordModifyRequest()
        #expect(empty.request.value?.hexString == "3000")
        #expect(try PasswordModifyRequest(requestValue: nil) == empty)
        // Out of order fields are refused.
        #expect(throws: LDAPDecodingError.self) {
            _ = try PasswordModifyRequest(requestValue: hexBuffer("30 06 82 01 6e 80 01 61"))
        }
        #expect(try PasswordModifyResponse(responseValue: PasswordModifyResponse(generatedPassword: ByteBuffer(string: "g"))
            .response().value).generatedPassword == ByteBuffer(string: "g"))
        #expect(PasswordModifyResponse().response().value == nil)
    }

    @Test("StartTLS and Who am I? use their OIDs")
    func extendedOIDs() {
        #expect(String(buffer: StartTLS.request.name) == "1.3.6.1.4.1.1466.20037")
        #expect(StartTLS.request.value == nil)
        #expect(StartTLS.response(LDAPResult(.success)).name.map { String(buffer: $0) } == StartTLS.oid)
        #expect(String(buffer: WhoAmI.request.name) == "1.3.6.1.4.1.4203.1.11.3")
        let response = WhoAmI.response(authorizationID: "dn:uid=a")
        #expect(response.name == nil && response.value.map { String(buffer: $0) } == "dn:uid=a")
    }
}

@Suite("Unsolicited notifications")
struct NoticeOfDisconnectionTests {
    @Test("notice of disconnection has messageID 0 and its OID")
    func notice() throws {
        var buffer = ByteBuffer()
        NoticeOfDisconnection.message(.protocolError, diagnosticMessage: "bad PDU").write(into: &buffer)
        let decoded = try LDAPMessage(from: &buffer)
        #expect(decoded.messageID == 0)
        guard case .extendedResponse(let response) = decoded.protocolOp else {
            Issue.record("not an extended response")
            return
        }
        #expect(response.name.map { String(buffer: $0) } == "1.3.6.1.4.1.1466.20036")
        #expect(response.result.resultCode == .protocolError)
        #expect(String(buffer: response.result.diagnosticMessage) == "bad PDU")
    }
}

import LDAPProtocol
import NIOCore
import SwiftASN1
import Testing

/// The value codecs of the self-service reset's two extended operations (docs/password-reset.md).
@Suite("Password reset extended operations")
struct PasswordResetCodecTests {
    @Test("request-code and reset values round-trip, with and without the client address")
    func roundTrip() throws {
        for address in [nil, "203.0.113.7"] {
            let code = PasswordResetCodeRequest(
                identifier: ByteBuffer(string: "jdupont-xt"), clientAddress: address.map { ByteBuffer(string: $0) })
            #expect(try PasswordResetCodeRequest(requestValue: code.request.value) == code)
            #expect(String(buffer: code.request.name) == "2.25.208241287730979937341023007625728684541.3.1")
            let reset = PasswordResetRequest(
                identifier: ByteBuffer(string: "jdupont-xt"), code: ByteBuffer(string: "012345"),
                newPassword: ByteBuffer(string: "Nouveau-Passe-42"),
                clientAddress: address.map { ByteBuffer(string: $0) })
            #expect(try PasswordResetRequest(requestValue: reset.request.value) == reset)
            #expect(String(buffer: reset.request.name) == "2.25.208241287730979937341023007625728684541.3.2")
        }
        let response = PasswordResetCodeResponse(validitySeconds: 600).response()
        #expect(try PasswordResetCodeResponse(responseValue: response.value).validitySeconds == 600)
        #expect(response.name.map { String(buffer: $0) } == PasswordResetCodeRequest.oid)
    }

    @Test("the bytes are the documented DER: SEQUENCE { OCTET STRING, [0] OCTET STRING }")
    func documentedBytes() throws {
        let value = PasswordResetCodeRequest(
            identifier: ByteBuffer(string: "a-xt"), clientAddress: ByteBuffer(string: "::1")
        ).request.value
        #expect(
            value.map { Array(buffer: $0) } == [0x30, 0x0B, 0x04, 0x04] + Array("a-xt".utf8) + [0x80, 0x03]
                + Array("::1".utf8))
        // swift-asn1 reads the reset value as three OCTET STRINGs.
        let reset = PasswordResetRequest(
            identifier: ByteBuffer(string: "a-xt"), code: ByteBuffer(string: "1"), newPassword: ByteBuffer(string: "p")
        ).request.value
        let node = try DER.parse(Array(buffer: try #require(reset)))
        guard case .constructed(let children) = node.content else { throw TestError("not constructed") }
        #expect(Array(children).count == 3 && Array(children).allSatisfy { $0.identifier == .octetString })
    }

    @Test("malformed values are errors, never crashes")
    func malformed() {
        let bad: [[UInt8]?] = [
            nil, [], [0x30], [0x30, 0x00], [0x04, 0x01, 0x41], [0x30, 0x03, 0x04, 0x01, 0x41, 0x00],
            [0x30, 0x05, 0x04, 0x01, 0x41, 0x81, 0x00], [0x30, 0x02, 0x02, 0x00],
        ]
        for bytes in bad {
            let value = bytes.map { ByteBuffer(bytes: $0) }
            #expect(throws: LDAPDecodingError.self) { try PasswordResetCodeRequest(requestValue: value) }
            #expect(throws: LDAPDecodingError.self) { try PasswordResetRequest(requestValue: value) }
        }
        let twoStrings = ByteBuffer(bytes: [0x30, 0x06, 0x04, 0x01, 0x41, 0x04, 0x01, 0x42])
        #expect(throws: LDAPDecodingError.self) { try PasswordResetRequest(requestValue: twoStrings) }
        #expect(throws: LDAPDecodingError.self) { try PasswordResetCodeResponse(responseValue: nil) }
    }
}

private struct TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Directory
import LDAPProtocol
import Testing
@testable import Server

@Suite struct AccessLogTests {
    @Test func operationLine() {
        let line = AccessLog.operationLine(
            connection: 12, operation: 3, peer: "127.0.0.1:5555",
            fields: AccessLogFields(
                operation: "SRCH", dn: "ou=people,dc=example", details: "scope=sub filter=\"(uid=jdoe)\"",
                resultCode: .success, entriesReturned: 1),
            elapsedMicros: 250)
        #expect(
            line
                == "conn=12 op=3 peer=127.0.0.1:5555 SRCH dn=\"ou=people,dc=example\" scope=sub filter=\"(uid=jdoe)\" "
                + "result=0 entries=1 elapsed_us=250")
    }

    @Test func clientTextCannotForgeLines() {
        #expect(AccessLog.escaped("cn=a\"\nconn=1 op=1") == "cn=a\\\"\\0Aconn=1 op=1")
        #expect(AccessLog.escaped("plain") == "plain")
        #expect(AccessLog.escaped("filter=\"(cn=a\\2a)\"\r\n", quotes: false) == "filter=\"(cn=a\\2a)\"\\0D\\0A")
    }
}

import Foundation
import Testing
@testable import Server

/// OpenLDAP's ldapsearch (GnuTLS on Debian) against the server, trusting the generated certificate.
@Suite struct OpenLDAPClientTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ldapsearch")))
    func ldapsearchOverLDAPSAndStartTLS() async throws {
        let server = try await TestServer.start()
        let environment = ["LDAPTLS_CACERT": server.certificatePath, "LDAPTLS_REQCERT": "demand"]
        let base = "entries=2,delay=0,padding=0"
        let ldaps = try runCommand(
            "/usr/bin/ldapsearch",
            ["-x", "-LLL", "-H", "ldaps://127.0.0.1:\(server.ldapsPort)", "-b", base, "(objectClass=*)"],
            environment: environment)
        #expect(ldaps.status == 0, "\(ldaps.output)")
        #expect(ldaps.output.contains("dn: cn=entry1"))
        let startTLS = try runCommand(
            "/usr/bin/ldapsearch",
            ["-x", "-ZZ", "-LLL", "-H", "ldap://localhost:\(server.ldapPort)", "-b", base, "(objectClass=*)"],
            environment: environment)
        #expect(startTLS.status == 0, "\(startTLS.output)")
        #expect(startTLS.output.contains("dn: cn=entry0"))
        await server.server.shutdown()
    }
}

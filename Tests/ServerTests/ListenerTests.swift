import Foundation
import LDAPProtocol
import NIOCore
import Testing
@testable import Server

@Suite struct ListenerTests {
    @Test func parsesListenerURLs() throws {
        #expect(try ServerListener(url: "ldap://127.0.0.1:1389") == ServerListener(scheme: .ldap, host: "127.0.0.1", port: 1389))
        #expect(try ServerListener(url: "ldaps://[::1]:0/") == ServerListener(scheme: .ldaps, host: "::1", port: 0))
        #expect(try ServerListener(url: "ldaps://[::1]:636").description == "ldaps://[::1]:636")
        for bad in ["http://x:1", "ldap://host", "ldap://:389", "ldap://h:65536", "ldap://h:-1", "ldap://[::1:389", "ldap://h:38a"] {
            #expect(throws: ServerConfigurationError.self) { try ServerListener(url: bad) }
        }
    }

    @Test func bindsSeveralListenersIncludingIPv6() async throws {
        let urls = ["ldap://127.0.0.1:0", "ldaps://127.0.0.1:0", "ldap://[::1]:0", "ldaps://[::1]:0"]
        guard TestServer.hasIPv6Loopback else {
            // No IPv6 loopback here: start must fail and say which listener.
            await #expect {
                _ = try await TestServer.start(listeners: urls)
            } throws: { error in
                "\(error)".contains("ldap://[::1]:0")
            }
            return
        }
        let server = try await TestServer.start(listeners: urls)
        #expect(server.listeners.count == 4)
        #expect(server.listeners.allSatisfy { $0.port > 0 })
        let tls = try TestServer.clientTLS(trusting: server.certificatePath)
        for listener in server.listeners {
            let client = try await TestLDAPClient.connect(
                host: listener.bound.host, port: listener.port, tls: listener.bound.scheme == .ldaps ? tls : nil)
            try await client.send(Requests.whoAmI(1))
            let reply = try await client.next()
            #expect(reply.messageID == 1)
            #expect(reply.extendedValue?.hasPrefix(listener.bound.scheme == .ldaps ? "TLS" : "CLEAR") == true)
            await client.close()
        }
        await server.server.shutdown()
    }

    @Test func reportsAListenerThatCannotBind() async throws {
        let first = try await TestServer.start(listeners: ["ldap://127.0.0.1:0"])
        let taken = "ldap://127.0.0.1:\(first.ldapPort)"
        await #expect {
            _ = try await TestServer.start(listeners: ["ldaps://127.0.0.1:0", taken])
        } throws: { error in
            guard let error = error as? ServerStartError, case .cannotBind(let listener, _) = error else { return false }
            return listener.description == taken && error.description.contains(taken)
        }
        // The first server still serves.
        let client = try await TestLDAPClient.connect(port: first.ldapPort)
        try await client.send(Requests.whoAmI(1))
        #expect(try await client.next().messageID == 1)
        await first.server.shutdown()
    }

    @Test func refusesLDAPSWithoutTLS() async throws {
        await #expect(throws: ServerStartError.self) {
            _ = try await TestServer.start(listeners: ["ldaps://127.0.0.1:0"], tls: TLSSettings(identity: .disabled))
        }
    }
}

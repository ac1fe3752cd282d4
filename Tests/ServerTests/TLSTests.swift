import Foundation
import LDAPProtocol
import NIOCore
import NIOSSL
import Testing
@testable import Server

@Suite struct TLSTests {
    @Test func ldapsWithTheSelfSignedPairAndItsReuse() async throws {
        let server = try await TestServer.start(listeners: ["ldaps://127.0.0.1:0"])
        let attributes = try FileManager.default.attributesOfItem(atPath: server.dataDirectory + "/tls/annuaire.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let firstPEM = try String(contentsOfFile: server.certificatePath, encoding: .utf8)
        let client = try await TestLDAPClient.connect(
            port: server.ldapsPort, tls: try TestServer.clientTLS(trusting: server.certificatePath))
        try await client.send(Requests.whoAmI(7))
        let reply = try await client.next()
        #expect(reply.messageID == 7)
        #expect(reply.extendedValue == "TLS ")
        await client.close()
        await server.server.shutdown()

        // Second start on the same data directory: the same certificate.
        let again = try await TestServer.start(listeners: ["ldaps://127.0.0.1:0"], dataDirectory: server.dataDirectory)
        #expect(try String(contentsOfFile: again.certificatePath, encoding: .utf8) == firstPEM)
        await again.server.shutdown()
    }

    @Test func selfSignedCertificateNamesTheHost() throws {
        let directory = TestServer.makeTemporaryDirectory()
        let pair = try SelfSignedCertificate.loadOrCreate(dataDirectory: directory, hostname: "annuaire.example")
        #expect(pair.wasCreated)
        let text = try runCommand("/usr/bin/openssl", ["x509", "-in", pair.certificatePath, "-noout", "-text"]).output
        #expect(text.contains("CN = annuaire.example") || text.contains("CN=annuaire.example"))
        #expect(text.contains("DNS:localhost"))
        #expect(text.contains("IP Address:127.0.0.1"))
        #expect(text.contains("IP Address:0:0:0:0:0:0:0:1") || text.contains("IP Address:::1"))
        #expect(text.contains("DNS:annuaire.example"))
        #expect(text.contains("prime256v1") || text.contains("P-256"))
        let reused = try SelfSignedCertificate.loadOrCreate(dataDirectory: directory, hostname: "annuaire.example")
        #expect(!reused.wasCreated)
        // One file without the other is refused.
        try FileManager.default.removeItem(atPath: pair.privateKeyPath)
        #expect(throws: ServerStartError.self) { try SelfSignedCertificate.loadOrCreate(dataDirectory: directory) }
    }

    @Test func ldapsWithAConfiguredCASignedChain() async throws {
        let certificates = try TestCertificates.make()
        let server = try await TestServer.start(
            listeners: ["ldaps://127.0.0.1:0"],
            tls: TLSSettings(identity: .files(certificateChain: certificates.serverChain, privateKey: certificates.serverKey)))
        // The client trusts only the root: the server must send the intermediate.
        let client = try await TestLDAPClient.connect(
            port: server.ldapsPort, tls: try TestServer.clientTLS(trusting: certificates.caCertificate))
        try await client.send(Requests.whoAmI(1))
        #expect(try await client.next().extendedValue == "TLS ")
        await client.close()
        await server.server.shutdown()
    }

    @Test func requiredClientCertificates() async throws {
        let certificates = try TestCertificates.make()
        let server = try await TestServer.start(
            listeners: ["ldaps://127.0.0.1:0"],
            tls: TLSSettings(
                identity: .files(certificateChain: certificates.serverChain, privateKey: certificates.serverKey),
                clientCertificates: .required(caFile: certificates.caCertificate)))
        let anonymous = try await TestLDAPClient.connect(
            port: server.ldapsPort, tls: try TestServer.clientTLS(trusting: certificates.caCertificate))
        try? await anonymous.send(Requests.whoAmI(1))
        await #expect(throws: (any Error).self) { _ = try await anonymous.next(timeout: .seconds(5)) }

        let withCertificate = try await TestLDAPClient.connect(
            port: server.ldapsPort,
            tls: try TestServer.clientTLS(
                trusting: certificates.caCertificate, certificate: certificates.clientCertificate,
                key: certificates.clientKey))
        try await withCertificate.send(Requests.whoAmI(2))
        #expect(try await withCertificate.next().messageID == 2)
        await withCertificate.close()
        await server.server.shutdown()
    }

    @Test func missingClientCAFileStopsStartUp() async throws {
        await #expect(throws: ServerStartError.self) {
            _ = try await TestServer.start(
                tls: TLSSettings(
                    identity: .selfSigned(dataDirectory: TestServer.makeTemporaryDirectory()),
                    clientCertificates: .optional(caFile: "/nonexistent/ca.pem")))
        }
    }
}

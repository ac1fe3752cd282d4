import Directory
import LDAPProtocol
import NIOCore
import Schema
import Storage
import Testing

/// Bind by sign-in identifier (domain.md D1) on a real store: people of the partner directory bind with
/// `jdupont-xt` or a DGFiP agent's mail local part, and every failure answers like a wrong password (D8).
@Suite("Bind by identifier")
struct BindIdentifierTests {
    /// The test directory with, besides alice, bob and carol:
    /// - `cn=Jean Dupont`: aspasiePerson whose identifier `jdupont-xt` is only in `aspasieIdentifier` (a subtype
    ///   of uid), mail at a town hall; password `xt-pass`;
    /// - `uid=agent7`: a DGFiP agent, mail `jean.martin@dgfip.finances.gouv.fr`; password `agent-pass`;
    /// - `uid=paul`: external, mail `paul.durand@mairie-cergy.fr`; password `paul-pass`;
    /// - two entries with uid `twin`, same password `twin-pass`;
    /// - `uid=claire.leroy`, and `uid=other` whose mail local part is also `claire.leroy` (uid comes first).
    final class Fixture {
        let directory: TestDirectory
        let service: DirectoryService

        init(mapping: BindIdentifierMapping = .partnerDirectory) throws {
            directory = try TestDirectory()
            let people = [
                ("cn=Jean Dupont", [
                    ("objectClass", ["inetOrgPerson", "aspasiePerson"]), ("cn", ["Jean Dupont"]), ("sn", ["Dupont"]),
                    ("aspasieIdentifier", ["jdupont-xt"]), ("aspasieCivility", ["M."]),
                    ("aspasiePopulation", ["SSLSPL"]), ("aspasieCodique", ["0950001"]),
                    ("mail", ["jean.dupont@mairie-cergy.fr"]), ("userPassword", ["xt-pass"]),
                ]),
                ("uid=agent7", Self.person("agent7", mail: "jean.martin@dgfip.finances.gouv.fr", password: "agent-pass")),
                ("uid=paul", Self.person("paul", mail: "paul.durand@mairie-cergy.fr", password: "paul-pass")),
                ("cn=Twin One", Self.person("twin", mail: nil, password: "twin-pass", cn: "Twin One")),
                ("cn=Twin Two", Self.person("twin", mail: nil, password: "twin-pass", cn: "Twin Two")),
                ("uid=claire.leroy", Self.person("claire.leroy", mail: "c.leroy@dgfip.finances.gouv.fr", password: "claire-pass")),
                ("uid=other", Self.person("other", mail: "claire.leroy@dgfip.finances.gouv.fr", password: "other-pass")),
            ]
            for (rdn, attributes) in people {
                try expectSuccess(try directory.add("\(rdn),\(peopleDN)", attributes, as: .root))
            }
            var configuration = directory.service.configuration
            configuration.bindIdentifierMapping = mapping
            service = DirectoryService(store: directory.store, configuration: configuration)
        }

        static func person(_ uid: String, mail: String?, password: String, cn: String? = nil) -> [(String, [String])] {
            var attributes = [
                ("objectClass", ["inetOrgPerson"]), ("uid", [uid]), ("cn", [cn ?? uid]), ("sn", ["S"]),
                ("userPassword", [password]),
            ]
            if let mail { attributes.append(("mail", [mail])) }
            return attributes
        }

        func bind(_ name: String, _ password: String, connection: ConnectionInfo = .anonymousLoopback) -> OperationOutcome {
            let request = BindRequest(name: ByteBuffer(string: name), authentication: .simple(ByteBuffer(string: password)))
            return perform(.bindRequest(request), connection: connection)
        }

        func perform(_ operation: ProtocolOperation, connection: ConnectionInfo) -> OperationOutcome {
            service.perform(
                LDAPMessage(messageID: 7, protocolOp: operation), connection: connection,
                cancellation: OperationCancellation(), send: { _ in })
        }

        /// Who am I? on a connection bound as `identity`.
        func whoAmI(_ identity: BoundIdentity?) -> String? {
            var connection = ConnectionInfo.anonymousLoopback
            connection.identity = identity ?? .anonymous
            guard case .extendedResponse(let response) = perform(.extendedRequest(WhoAmI.request), connection: connection)
                .response?.protocolOp
            else { return nil }
            return response.value.map { String(buffer: $0) }
        }
    }

    /// What a client sees of a failed bind: code, message, matched DN, and the identity it leaves.
    struct Answer: Equatable {
        var code: ResultCode?
        var message: String?
        var matchedDN: String?
        var identity: BoundIdentity?

        init(_ outcome: OperationOutcome) {
            let result = result(of: outcome)
            code = result?.resultCode
            message = result.map { String(buffer: $0.diagnosticMessage) }
            matchedDN = result.map { String(buffer: $0.matchedDN) }
            identity = outcome.newIdentity
        }
    }

    @Test("an -xt identifier found through aspasieIdentifier binds as the entry; Who am I? names its DN")
    func externalIdentifier() throws {
        let fixture = try Fixture()
        let outcome = fixture.bind("jdupont-xt", "xt-pass")
        try expectSuccess(outcome)
        let dn = try DistinguishedName("cn=Jean Dupont,\(peopleDN)")
        #expect(outcome.newIdentity == .entry(dn))
        #expect(fixture.whoAmI(outcome.newIdentity) == "dn:cn=Jean Dupont,\(peopleDN)")
        #expect(outcome.log.dn == "jdupont-xt")
        #expect(outcome.log.details == "bound=\"cn=Jean Dupont,\(peopleDN)\"")
        // Case-insensitive, as the uid equality rule is.
        #expect(fixture.bind("JDupont-XT", "xt-pass").newIdentity == .entry(dn))
        #expect(fixture.bind("uid=alice,\(peopleDN)", "alicepw").newIdentity == .entry(try .init("uid=alice,\(peopleDN)")))
        #expect(fixture.bind("alice", "alicepw").newIdentity == .entry(try .init("uid=alice,\(peopleDN)")))
    }

    @Test("a DGFiP agent binds with the local part of the agent mail; other domains do not count")
    func agentMailLocalPart() throws {
        let fixture = try Fixture()
        let agent = fixture.bind("jean.martin", "agent-pass")
        try expectSuccess(agent)
        #expect(agent.newIdentity == .entry(try .init("uid=agent7,\(peopleDN)")))
        #expect(fixture.whoAmI(agent.newIdentity) == "dn:uid=agent7,\(peopleDN)")
        // paul.durand is a town hall address: not an agent's.
        #expect(fixture.bind("paul.durand", "paul-pass").log.resultCode == .invalidCredentials)
        // Without domains, any address's local part counts (substring index on mail).
        let anyDomain = try Fixture(mapping: BindIdentifierMapping(lookups: [.attribute("uid"), .mailLocalPart]))
        #expect(anyDomain.bind("paul.durand", "paul-pass").newIdentity == .entry(try .init("uid=paul,\(peopleDN)")))
        #expect(anyDomain.bind("paul", "paul-pass").log.resultCode == .success)
        #expect(anyDomain.bind("paul.dur", "paul-pass").log.resultCode == .invalidCredentials)
    }

    @Test("uid is looked up first: an identifier that is one entry's uid and another's mail local part")
    func precedence() throws {
        let fixture = try Fixture()
        #expect(fixture.bind("claire.leroy", "claire-pass").newIdentity == .entry(try .init("uid=claire.leroy,\(peopleDN)")))
        #expect(fixture.bind("claire.leroy", "other-pass").log.resultCode == .invalidCredentials)
    }

    @Test("unknown, ambiguous, no password, wrong password: one answer, identity anonymous")
    func sameFailure() throws {
        let fixture = try Fixture()
        let wrongPassword = Answer(fixture.bind("jdupont-xt", "wrong"))
        #expect(wrongPassword.code == .invalidCredentials)
        #expect(wrongPassword.message == "invalid credentials")
        #expect(wrongPassword.matchedDN == "")
        #expect(wrongPassword.identity == .anonymous)
        let others = [
            fixture.bind("nobody-xt", "xt-pass"),  // unknown
            fixture.bind("twin", "twin-pass"),  // two entries: right password, still refused
            fixture.bind("carol", "x"),  // entry without password
            fixture.bind("jdupont*", "xt-pass"),  // no filter injection: a literal value
            fixture.bind("*", "xt-pass"),
            fixture.bind("jdupont-xt)(|(cn", "xt-pass"),
            fixture.bind(String(repeating: "a", count: BindIdentifierMapping.maximumLength), "x"),
            fixture.bind("uid=nobody,\(peopleDN)", "x"),  // and an unknown DN, as before
        ]
        for outcome in others {
            #expect(Answer(outcome) == wrongPassword)
            #expect(outcome.log.operation == "BIND")
        }
    }

    @Test("which names are identifiers: no '=', no space or control, valid UTF-8, at most 256 bytes")
    func identifierRule() throws {
        let mapping = BindIdentifierMapping.partnerDirectory
        func identifier(_ text: String) -> String? { mapping.identifier(in: Array(text.utf8)) }
        #expect(identifier("jdupont-xt") == "jdupont-xt")
        #expect(identifier("jean.dupont") == "jean.dupont")
        #expect(identifier("élodie.müller") == "élodie.müller")
        #expect(identifier("uid=jdupont-xt,ou=people,dc=example,dc=com") == nil)
        #expect(identifier("cn=x") == nil)
        #expect(identifier("this is not a DN") == nil)
        #expect(identifier("tab\there") == nil)
        #expect(identifier("nbsp\u{A0}here") == nil)
        #expect(identifier(String(repeating: "a", count: 257)) == nil)
        #expect(mapping.identifier(in: [0x61, 0xFF, 0x62]) == nil)
        #expect(BindIdentifierMapping.off.identifier(in: Array("jdupont-xt".utf8)) == nil)
    }

    @Test("names that are not identifiers are DNs, as before; off keeps slapd's invalidDNSyntax")
    func notIdentifiers() throws {
        let fixture = try Fixture()
        #expect(fixture.bind("this is not a DN", "x").log.resultCode == .invalidDNSyntax)
        let off = try Fixture(mapping: .off)
        #expect(off.bind("jdupont-xt", "xt-pass").log.resultCode == .invalidDNSyntax)
        #expect(off.bind("uid=alice,\(peopleDN)", "alicepw").log.resultCode == .success)
    }

    @Test("an identifier without password is an unauthenticated bind; cleartext over the network is refused first")
    func refusals() throws {
        let fixture = try Fixture()
        #expect(fixture.bind("jdupont-xt", "").log.resultCode == .unwillingToPerform)
        let remote = ConnectionInfo(connectionID: 2, peer: "192.0.2.1:5000", isLoopback: false, isTLS: false)
        #expect(fixture.bind("jdupont-xt", "xt-pass", connection: remote).log.resultCode == .confidentialityRequired)
        #expect(fixture.bind("nobody-xt", "xt-pass", connection: remote).log.resultCode == .confidentialityRequired)
        var tls = remote
        tls.isTLS = true
        #expect(fixture.bind("jdupont-xt", "xt-pass", connection: tls).log.resultCode == .success)
    }
}

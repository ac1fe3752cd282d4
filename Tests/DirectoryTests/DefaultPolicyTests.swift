import AccessControl
import Directory
import Foundation
import LDAPProtocol
import NIOCore
import Schema
import Storage
import Testing

/// The shipped `config/access.rules`.
enum DefaultPolicy {
    static func text() throws -> String {
        let path = URL(fileURLWithPath: TestSchema.directory).deletingLastPathComponent()
            .appendingPathComponent("config/access.rules").path
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}

/// The partner directory in small: a correspondent of territory 0950001, the portal and monitoring accounts,
/// a person of 0950001 (`dupont-xt`) and one of 0750001 (`martin-xt`), a structure of each, under the
/// default policy.
final class PartnerDirectory {
    let directory: TestDirectory
    static let admins = "ou=admins,dc=example,dc=com"
    static let structures = "ou=structures,dc=example,dc=com"
    static let chantal = "uid=chantal,\(admins)"
    static let portal = "uid=portal,\(admins)"
    static let monitor = "uid=monitor,\(admins)"
    static let dupont = "uid=dupont-xt,\(peopleDN)"
    static let martin = "uid=martin-xt,\(peopleDN)"

    init() throws {
        directory = try TestDirectory(accessRules: try DefaultPolicy.text())
        let root = ConnectionInfo.root
        try expectSuccess(directory.add(Self.admins, [("objectClass", ["organizationalUnit"]), ("ou", ["admins"])], as: root))
        try expectSuccess(directory.add(Self.structures, [("objectClass", ["organizationalUnit"]), ("ou", ["structures"])], as: root))
        try expectSuccess(
            directory.add(
                Self.chantal,
                [
                    ("objectClass", ["inetOrgPerson", "aspasieCorrespondent"]), ("uid", ["chantal"]),
                    ("aspasieIdentifier", ["chantal"]), ("cn", ["Chantal L"]), ("sn", ["L"]),
                    ("aspasieTerritoryCodique", ["0950001"]), ("userPassword", ["chantalpw"]),
                    // D1: an identifier without -xt is for DGFiP staff, who have a mail at the DGFiP's domain.
                    ("mail", ["chantal@dgfip.finances.gouv.fr"]),
                ], as: root))
        for account in ["portal", "monitor"] {
            try expectSuccess(
                directory.add(
                    "uid=\(account),\(Self.admins)",
                    [("objectClass", ["account", "simpleSecurityObject"]), ("uid", [account]), ("userPassword", ["\(account)pw"])],
                    as: root))
        }
        try expectSuccess(directory.add(Self.dupont, Self.person("dupont-xt", codique: "0950001"), as: root))
        try expectSuccess(directory.add(Self.martin, Self.person("martin-xt", codique: "0750001"), as: root))
    }

    static func person(_ uid: String, codique: String) -> [(String, [String])] {
        [
            ("objectClass", ["inetOrgPerson", "aspasiePerson"]), ("uid", [uid]), ("aspasieIdentifier", [uid]),
            ("cn", ["Person \(uid)"]), ("sn", ["P"]), ("aspasieCivility", ["M."]), ("aspasiePopulation", ["SSLSPL"]),
            ("aspasieCodique", [codique]), ("mail", ["\(uid)@example.org"]), ("userPassword", ["\(uid)pw"]),
        ]
    }

    /// A connection bound as `dn` (the subject built on first use, as without a Bind).
    static func connection(_ dn: String) throws -> ConnectionInfo {
        var connection = ConnectionInfo.anonymousLoopback
        connection.identity = .entry(try DistinguishedName(dn))
        return connection
    }

    /// A connection after a real Bind as `dn` with `password`, keeping the subject the Bind built.
    func bound(_ dn: String, _ password: String) throws -> ConnectionInfo {
        let outcome = directory.perform(
            .bindRequest(BindRequest(name: ByteBuffer(string: dn), authentication: .simple(ByteBuffer(string: password)))),
            as: .anonymousLoopback
        ).outcome
        try expectSuccess(outcome)
        var connection = ConnectionInfo.anonymousLoopback
        connection.identity = try #require(outcome.newIdentity)
        connection.accessSubject = outcome.newAccessSubject
        #expect(connection.accessSubject != nil)
        return connection
    }

    func modify(_ dn: String, _ changes: [(ModifyRequest.Change.Operation, String, [String])], controls: [LDAPControl] = [], as connection: ConnectionInfo) -> OperationOutcome {
        let request = ModifyRequest(
            object: ByteBuffer(string: dn),
            changes: changes.map { ModifyRequest.Change(operation: $0.0, modification: PartialAttribute($0.1, $0.2)) })
        return directory.perform(.modifyRequest(request), controls: controls, as: connection).outcome
    }

    func compare(_ dn: String, _ type: String, _ value: String, as connection: ConnectionInfo) -> ResultCode {
        directory.perform(
            .compareRequest(CompareRequest(entry: ByteBuffer(string: dn), assertion: AttributeValueAssertion(type, value))),
            as: connection
        ).outcome.log.resultCode
    }

    func passwordModify(_ target: String?, _ newPassword: String, as connection: ConnectionInfo) -> ResultCode {
        let request = PasswordModifyRequest(
            userIdentity: target.map { ByteBuffer(string: $0) }, newPassword: ByteBuffer(string: newPassword)
        ).request
        return directory.perform(.extendedRequest(request), as: connection).outcome.log.resultCode
    }

    func bind(_ dn: String, _ password: String) -> ResultCode {
        directory.perform(
            .bindRequest(BindRequest(name: ByteBuffer(string: dn), authentication: .simple(ByteBuffer(string: password)))),
            as: .anonymousLoopback
        ).outcome.log.resultCode
    }
}

@Suite("Default access policy (config/access.rules) through DirectoryService")
struct DefaultPolicyTests {
    @Test("anonymous: binds, reads the root DSE and the subschema, and nothing under the suffix")
    func anonymous() throws {
        let partner = try PartnerDirectory()
        let directory = partner.directory
        #expect(partner.bind(PartnerDirectory.dupont, "dupont-xtpw") == .success)
        #expect(partner.bind(PartnerDirectory.dupont, "wrong") == .invalidCredentials)
        let dse = try directory.search("", scope: .baseObject, attributes: ["+"])
        #expect(dse.entries.count == 1)
        #expect(dse.entries.first?.values("namingContexts") == ["dc=example,dc=com"])
        #expect(try directory.search("cn=Subschema", scope: .baseObject, attributes: ["objectClasses"]).entries.count == 1)
        let subtree = try directory.search("dc=example,dc=com")
        #expect(subtree.entries.isEmpty)
        #expect(subtree.result?.resultCode == .noSuchObject)
        #expect(subtree.result?.matchedDN == ByteBuffer())
        // The base is hidden like a missing one: the same answer for an existing and a missing person.
        let existing = try directory.search(PartnerDirectory.dupont, scope: .baseObject)
        let missing = try directory.search("uid=nobody,\(peopleDN)", scope: .baseObject)
        #expect(existing.result?.resultCode == .noSuchObject && missing.result?.resultCode == .noSuchObject)
        #expect(existing.result?.matchedDN == missing.result?.matchedDN)
        #expect(existing.result.map { String(buffer: $0.diagnosticMessage) } == "no entry named '\(PartnerDirectory.dupont)'")
        #expect(missing.result.map { String(buffer: $0.diagnosticMessage) } == "no entry named 'uid=nobody,\(peopleDN)'")
        #expect(partner.compare(PartnerDirectory.dupont, "mail", "dupont-xt@example.org", as: .anonymousLoopback) == .noSuchObject)
    }

    @Test("a person reads their own entry but not its password, and nobody else's mail")
    func personReads() throws {
        let partner = try PartnerDirectory()
        let dupont = try partner.bound(PartnerDirectory.dupont, "dupont-xtpw")
        let own = try partner.directory.search(PartnerDirectory.dupont, scope: .baseObject, attributes: ["*", "+"], as: dupont)
        let entry = try #require(own.entries.first)
        #expect(entry.values("mail") == ["dupont-xt@example.org"])
        #expect(entry.values("userPassword") == nil)
        #expect(entry.values("entryUUID")?.count == 1)
        let other = try partner.directory.search(PartnerDirectory.martin, scope: .baseObject, attributes: ["mail"], as: dupont)
        #expect(other.entries.isEmpty)
        #expect(other.result?.resultCode == .noSuchObject)
        let everyone = try partner.directory.search(peopleDN, filter: "(objectClass=*)", as: dupont)
        #expect(everyone.entries.isEmpty)
        #expect(partner.compare(PartnerDirectory.martin, "mail", "martin-xt@example.org", as: dupont) == .noSuchObject)
        #expect(partner.compare(PartnerDirectory.dupont, "mail", "dupont-xt@example.org", as: dupont) == .compareTrue)
        #expect(partner.compare(PartnerDirectory.dupont, "userPassword", "dupont-xtpw", as: dupont) == .insufficientAccessRights)
    }

    @Test("a person changes their own mobile and password, not their mail (D4, D8)")
    func personWrites() throws {
        let partner = try PartnerDirectory()
        let dupont = try partner.bound(PartnerDirectory.dupont, "dupont-xtpw")
        try expectSuccess(partner.modify(PartnerDirectory.dupont, [(.replace, "mobile", ["+33 6 12 34 56 78"])], as: dupont))
        #expect(partner.modify(PartnerDirectory.dupont, [(.replace, "mail", ["x@example.org"])], as: dupont).log.resultCode == .insufficientAccessRights)
        #expect(partner.modify(PartnerDirectory.dupont, [(.add, "description", ["x"])], as: dupont).log.resultCode == .insufficientAccessRights)
        #expect(partner.passwordModify(nil, "n3w-pass", as: dupont) == .success)
        #expect(partner.bind(PartnerDirectory.dupont, "n3w-pass") == .success)
        try expectSuccess(partner.modify(PartnerDirectory.dupont, [(.replace, "userPassword", ["again-new"])], as: dupont))
        #expect(partner.passwordModify(PartnerDirectory.martin, "x", as: dupont) == .noSuchObject)
    }

    @Test("a correspondent adds, modifies, resets and deletes people of the territory, not of another")
    func correspondent() throws {
        let partner = try PartnerDirectory()
        let chantal = try partner.bound(PartnerDirectory.chantal, "chantalpw")
        let newDN = "uid=durand-xt,\(peopleDN)"
        try expectSuccess(partner.directory.add(newDN, PartnerDirectory.person("durand-xt", codique: "0950001"), as: chantal))
        try expectSuccess(partner.modify(newDN, [(.replace, "mail", ["durand.new@example.org"])], as: chantal))
        try expectSuccess(partner.modify(PartnerDirectory.dupont, [(.add, "mobile", ["+33 6 00 00 00 00"])], as: chantal))
        #expect(partner.passwordModify(PartnerDirectory.dupont, "reset-by-chantal", as: chantal) == .success)
        #expect(partner.bind(PartnerDirectory.dupont, "reset-by-chantal") == .success)
        let found = try partner.directory.search(peopleDN, scope: .singleLevel, as: chantal)
        #expect(Set(found.entries.map(\.dn)) == [newDN, PartnerDirectory.dupont])
        try expectSuccess(partner.directory.perform(.delRequest(ByteBuffer(string: newDN)), as: chantal).outcome)
        // Another territory: nothing.
        let elsewhere = "uid=leroy-xt,\(peopleDN)"
        let refused = try partner.directory.add(elsewhere, PartnerDirectory.person("leroy-xt", codique: "0750001"), as: chantal)
        #expect(refused.log.resultCode == .insufficientAccessRights)
        #expect(partner.modify(PartnerDirectory.martin, [(.replace, "mail", ["x@example.org"])], as: chantal).log.resultCode == .noSuchObject)
        #expect(partner.passwordModify(PartnerDirectory.martin, "x", as: chantal) == .noSuchObject)
        #expect(partner.directory.perform(.delRequest(ByteBuffer(string: PartnerDirectory.martin)), as: chantal).outcome.log.resultCode == .noSuchObject)
        // Nor move a person of the territory into another one: the rights must hold on the entry as changed.
        let moved = partner.modify(PartnerDirectory.dupont, [(.replace, "aspasieCodique", ["0750001"])], as: chantal)
        #expect(moved.log.resultCode == .insufficientAccessRights)
        let root = try partner.directory.search(PartnerDirectory.dupont, scope: .baseObject, attributes: ["aspasieCodique"], as: .root)
        #expect(root.entries.first?.values("aspasieCodique") == ["0950001"])
        // Nowhere else than below people and structures.
        let outside = try partner.directory.add("ou=x,dc=example,dc=com", [("objectClass", ["organizationalUnit"]), ("ou", ["x"])], as: chantal)
        #expect(outside.log.resultCode == .insufficientAccessRights)
        // The password of the person stays unreadable to the correspondent.
        let read = try partner.directory.search(PartnerDirectory.dupont, scope: .baseObject, attributes: ["userPassword", "mail"], as: chantal)
        #expect(read.entries.first?.values("userPassword") == nil)
        #expect(read.entries.first?.values("mail") == ["dupont-xt@example.org"])
    }

    @Test("a correspondent who can see an entry but not change it gets insufficientAccessRights")
    func visibleButNotWritable() throws {
        let partner = try PartnerDirectory()
        let chantal = try PartnerDirectory.connection(PartnerDirectory.chantal)
        // Her own entry: readable, not writable.
        #expect(partner.modify(PartnerDirectory.chantal, [(.replace, "aspasieTerritoryCodique", ["0750001"])], as: chantal).log.resultCode == .insufficientAccessRights)
        // The branch: visible, but deleting it is refused.
        #expect(partner.directory.perform(.delRequest(ByteBuffer(string: peopleDN)), as: chantal).outcome.log.resultCode == .insufficientAccessRights)
    }

    @Test("modify DN: the correspondent renames within the territory; a person cannot rename themself")
    func rename() throws {
        let partner = try PartnerDirectory()
        func rename(_ dn: String, _ rdn: String, as connection: ConnectionInfo) -> ResultCode {
            let request = ModifyDNRequest(
                entry: ByteBuffer(string: dn), newRDN: ByteBuffer(string: rdn), deleteOldRDN: false, newSuperior: nil)
            return partner.directory.perform(.modifyDNRequest(request), as: connection).outcome.log.resultCode
        }
        let dupont = try PartnerDirectory.connection(PartnerDirectory.dupont)
        #expect(rename(PartnerDirectory.dupont, "uid=dupont2-xt", as: dupont) == .insufficientAccessRights)
        let chantal = try PartnerDirectory.connection(PartnerDirectory.chantal)
        #expect(rename(PartnerDirectory.martin, "uid=martin2-xt", as: chantal) == .noSuchObject)
        #expect(rename(PartnerDirectory.dupont, "uid=dupont2-xt", as: chantal) == .success)
    }

    @Test("the portal searches people by identifier without passwords; the monitor sees nothing here")
    func serviceAccounts() throws {
        let partner = try PartnerDirectory()
        let portal = try partner.bound(PartnerDirectory.portal, "portalpw")
        let found = try partner.directory.search("dc=example,dc=com", filter: "(uid=dupont-xt)", attributes: ["*"], as: portal)
        #expect(found.entries.map(\.dn) == [PartnerDirectory.dupont])
        #expect(found.entries.first?.values("userPassword") == nil)
        #expect(found.entries.first?.values("mail") == ["dupont-xt@example.org"])
        #expect(partner.modify(PartnerDirectory.dupont, [(.replace, "mobile", ["1"])], as: portal).log.resultCode == .insufficientAccessRights)
        let monitor = try partner.bound(PartnerDirectory.monitor, "monitorpw")
        #expect(try partner.directory.search("dc=example,dc=com", as: monitor).entries.isEmpty)
    }

    @Test("a filter on an attribute the client may not search reveals nothing")
    func filterOnHiddenAttribute() throws {
        let partner = try PartnerDirectory()
        let portal = try PartnerDirectory.connection(PartnerDirectory.portal)
        // userPassword can never be searched: neither the item nor its negation matches.
        let item = try partner.directory.search(peopleDN, filter: "(userPassword=dupont-xtpw)", as: portal)
        let negated = try partner.directory.search(peopleDN, filter: "(!(userPassword=dupont-xtpw))", as: portal)
        let present = try partner.directory.search(peopleDN, filter: "(userPassword=*)", as: portal)
        #expect(item.entries.isEmpty && negated.entries.isEmpty && present.entries.isEmpty)
        // The rest of the filter still works around the Undefined item.
        let either = try partner.directory.search(peopleDN, filter: "(|(userPassword=x)(uid=dupont-xt))", as: portal)
        #expect(either.entries.map(\.dn) == [PartnerDirectory.dupont])
        // A person filtering on another's mail learns nothing either (the entry is not even visible).
        let dupont = try PartnerDirectory.connection(PartnerDirectory.dupont)
        #expect(try partner.directory.search(peopleDN, filter: "(mail=martin-xt@example.org)", as: dupont).entries.isEmpty)
    }

    @Test("pre-read and post-read return only what may be read")
    func readControls() throws {
        let partner = try PartnerDirectory()
        let dupont = try PartnerDirectory.connection(PartnerDirectory.dupont)
        let controls = [
            ReadEntryControl(kind: .preRead, attributes: [ByteBuffer(string: "*")]).requestControl(),
            ReadEntryControl(kind: .postRead, attributes: [ByteBuffer(string: "mobile"), ByteBuffer(string: "userPassword")]).requestControl(),
        ]
        let outcome = partner.modify(PartnerDirectory.dupont, [(.replace, "mobile", ["06 12 34 56 78"])], controls: controls, as: dupont)
        try expectSuccess(outcome)
        let responses = try #require(outcome.response?.controls)
        let before = try ReadEntryControl.entry(fromResponse: try #require(responses.first { $0.oid == ReadEntryControl.Kind.preRead.rawValue }))
        let after = try ReadEntryControl.entry(fromResponse: try #require(responses.first { $0.oid == ReadEntryControl.Kind.postRead.rawValue }))
        #expect(before.values("mail") == ["dupont-xt@example.org"])
        #expect(before.values("userPassword") == nil)
        #expect(after.values("mobile") == ["+33612345678"])  // D4: stored in E.164
        #expect(after.values("userPassword") == nil)
    }

    @Test("the subject cached by Bind is used, and the auth check can refuse a bind")
    func bindAndAuth() throws {
        let directory = try TestDirectory(accessRules: "access to * by * read")
        // No 'auth' on userPassword for anonymous: Bind must refuse (once Bind calls mayAuthenticate).
        let entry = try #require(try directory.store.entry(dn: try DistinguishedName("uid=alice,\(peopleDN)")))
        #expect(directory.service.mayAuthenticate(entry))
        let strict = try TestDirectory(accessRules: "access to attrs=userPassword by * none\naccess to * by * read")
        #expect(!strict.service.mayAuthenticate(entry))
    }
}

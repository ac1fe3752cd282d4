import Directory
import LDAPProtocol
import NIOCore
import Testing

@Suite("Search")
struct SearchTests {
    @Test("root DSE: * gives objectClass only, + and names give the rest; other scopes noSuchObject")
    func rootDSE() throws {
        let directory = try TestDirectory()
        let star = try directory.search("", scope: .baseObject)
        #expect(star.result?.resultCode == .success)
        #expect(star.entries.first?.attributeNames == ["objectClass"])
        let plus = try directory.search("", scope: .baseObject, attributes: ["+"])
        let dse = try #require(plus.entries.first)
        #expect(dse.values("namingContexts") == ["dc=example,dc=com"])
        #expect(dse.values("supportedLDAPVersion") == ["3"])
        #expect(dse.values("supportedExtension")?.contains("1.3.6.1.4.1.4203.1.11.1") == true)
        #expect(dse.values("supportedControl")?.contains("1.2.840.113556.1.4.319") == true)
        #expect(dse.values("supportedFeatures")?.contains("1.3.6.1.4.1.4203.1.5.1") == true)
        #expect(dse.values("subschemaSubentry") == ["cn=Subschema"])
        #expect(dse.values("vendorVersion") == ["9.9"])
        let named = try directory.search("", scope: .baseObject, attributes: ["vendorName"])
        #expect(named.entries.first?.attributeNames == ["vendorName"])
        #expect(try directory.search("", scope: .baseObject, filter: "(uid=x)").entries.isEmpty)
        #expect(try directory.search("", scope: .wholeSubtree).result?.resultCode == .noSuchObject)
    }

    @Test("cn=Subschema publishes the loaded schema in RFC 4512 form")
    func subschema() throws {
        let directory = try TestDirectory()
        let found = try directory.search("cn=subschema", scope: .baseObject, attributes: ["*", "+"])
        let entry = try #require(found.entries.first)
        #expect(entry.values("objectClass")?.contains("subschema") == true)
        #expect(entry.values("attributeTypes")?.contains { $0.hasPrefix("( 2.5.4.3 NAME ( 'cn' 'commonName' )") } == true)
        #expect(entry.values("objectClasses")?.contains { $0.contains("NAME 'inetOrgPerson'") } == true)
        #expect(entry.values("matchingRules")?.contains("( 2.5.13.2 NAME 'caseIgnoreMatch' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )") == true)
        #expect(entry.values("ldapSyntaxes")?.contains("( 1.3.6.1.4.1.1466.115.121.1.15 DESC 'Directory String' )") == true)
        let star = try directory.search("cn=Subschema", scope: .baseObject)
        #expect(star.entries.first?.values("attributeTypes") == nil)
    }

    @Test("scopes, filters, attribute lists, options, typesOnly, userPassword visibility")
    func attributes() throws {
        let directory = try TestDirectory()
        let all = try directory.search("dc=example,dc=com")
        #expect(all.entries.count == 5)
        #expect(try directory.search(peopleDN, scope: .singleLevel).entries.count == 3)
        let alice = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject)
        let entry = try #require(alice.entries.first)
        #expect(entry.values("userPassword") == nil)
        #expect(entry.values("createTimestamp") == nil)
        #expect(entry.values("cn") == ["Person alice"])
        let own = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject, as: .entry("alice"))
        // The absolute rule: not even the entry itself reads its password (docs/access-control.md).
        #expect(own.entries.first?.values("userPassword") == nil)
        let other = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject, as: .entry("bob"))
        #expect(other.entries.first?.values("userPassword") == nil)
        let root = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject, as: .root)
        // Added in clear, stored hashed (docs/passwords.md).
        #expect(root.entries.first?.values("userPassword")?.first?.hasPrefix("{ARGON2}$argon2id$") == true)
        let name = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject, attributes: ["NAME"])
        #expect(Set(name.entries.first?.attributeNames ?? []) == ["cn", "sn"])
        let none = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject, attributes: ["1.1"])
        #expect(none.entries.first?.attributes.isEmpty == true)
        let oid = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject, attributes: ["2.5.4.4"])
        #expect(oid.entries.first?.attributeNames == ["sn"])
        let typesOnly = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject, attributes: ["cn"], typesOnly: true)
        #expect(typesOnly.entries.first?.attributes.first?.values.isEmpty == true)
        let option = try directory.search("uid=alice,\(peopleDN)", scope: .baseObject, attributes: ["cn;lang-fr"])
        #expect(option.entries.first?.attributes.isEmpty == true)
        let filtered = try directory.search(peopleDN, filter: "(&(objectClass=person)(|(uid=bob)(uid=carol)))")
        #expect(Set(filtered.entries.map(\.dn)) == ["uid=bob,\(peopleDN)", "uid=carol,\(peopleDN)"])
    }

    @Test("operational attributes: stored ones and computed ones, by + or by name")
    func operational() throws {
        let directory = try TestDirectory()
        let plus = try directory.search(peopleDN, scope: .baseObject, attributes: ["+"])
        let entry = try #require(plus.entries.first)
        #expect(entry.values("objectClass") == nil)
        #expect(entry.values("hasSubordinates") == ["TRUE"])
        #expect(entry.values("entryDN") == [peopleDN])
        #expect(entry.values("subschemaSubentry") == ["cn=Subschema"])
        #expect(entry.values("structuralObjectClass") == ["organizationalUnit"])
        #expect(entry.values("createTimestamp") == ["20250102030405Z"])
        #expect(entry.values("creatorsName") == [rootDNText])
        let uuid = try #require(entry.values("entryUUID")?.first)
        #expect(uuid.count == 36 && uuid[uuid.index(uuid.startIndex, offsetBy: 14)] == "4")
        #expect(entry.values("entryCSN")?.first?.hasPrefix("20250102030405.000000Z#") == true)
        let leaf = try directory.search("uid=bob,\(peopleDN)", scope: .baseObject, attributes: ["hasSubordinates", "cn"])
        #expect(leaf.entries.first?.attributeNames == ["cn", "hasSubordinates"])
        #expect(leaf.entries.first?.values("hasSubordinates") == ["FALSE"])
        let byComputed = try directory.search("dc=example,dc=com", filter: "(hasSubordinates=TRUE)", attributes: ["1.1"])
        #expect(Set(byComputed.entries.map(\.dn)) == ["dc=example,dc=com", peopleDN])
        let byEntryDN = try directory.search("dc=example,dc=com", filter: "(entryDN=UID=bob,\(peopleDN))")
        #expect(byEntryDN.entries.map(\.dn) == ["uid=bob,\(peopleDN)"])
    }

    @Test("missing base: noSuchObject with the matched DN; bad DN: invalidDNSyntax")
    func missingBase() throws {
        let directory = try TestDirectory()
        let missing = try directory.search("uid=x,ou=nowhere,dc=example,dc=com")
        #expect(missing.result?.resultCode == .noSuchObject)
        #expect(missing.result.map { String(buffer: $0.matchedDN) } == "dc=example,dc=com")
        #expect(try directory.search("not=a=dn,").result?.resultCode == .invalidDNSyntax)
        #expect(missing.outcome.log.operation == "SRCH")
        #expect(missing.outcome.log.details.contains("(objectClass=*)"))
    }

    @Test("size limits: client's and server's, the smaller wins; the root DN only has the client's")
    func sizeLimits() throws {
        let directory = try TestDirectory(sizeLimit: 3, people: 5)
        let server = try directory.search(peopleDN, scope: .singleLevel)
        #expect(server.result?.resultCode == .sizeLimitExceeded)
        #expect(server.entries.count == 3)
        let client = try directory.search(peopleDN, scope: .singleLevel, sizeLimit: 2)
        #expect(client.result?.resultCode == .sizeLimitExceeded)
        #expect(client.entries.count == 2)
        #expect(client.outcome.log.entriesReturned == 2)
        let root = try directory.search(peopleDN, scope: .singleLevel, as: .root)
        #expect(root.result?.resultCode == .success)
        #expect(root.entries.count == 8)
        let exact = try directory.search(peopleDN, scope: .singleLevel, filter: "(uid=p000*)", sizeLimit: 5, as: .root)
        #expect(exact.result?.resultCode == .success)
    }

    @Test("time limit: timeLimitExceeded with the entries sent before it")
    func timeLimit() throws {
        // Each reading of the monotonic clock advances it by 0.4 s: the limit of 1 s passes after two entries.
        let directory = try TestDirectory(timeLimit: 1, clock: ManualClock(step: 400_000_000), people: 5)
        let limited = try directory.search(peopleDN, scope: .singleLevel)
        #expect(limited.result?.resultCode == .timeLimitExceeded)
        #expect(limited.entries.count >= 1 && limited.entries.count < 8)
        let root = try directory.search(peopleDN, scope: .singleLevel, as: .root)
        #expect(root.result?.resultCode == .success)
        #expect(root.entries.count == 8)
    }

    @Test("abandon: the search stops sending and has no response")
    func abandon() throws {
        let directory = try TestDirectory(people: 10)
        let cancellation = OperationCancellation()
        var seen = 0
        let abandoned = try directory.search(
            peopleDN, scope: .singleLevel, cancellation: cancellation,
            onSend: { _ in
                seen += 1
                if seen == 3 { cancellation.cancel() }
            })
        #expect(abandoned.result == nil)
        #expect(abandoned.outcome.response == nil)
        #expect(abandoned.entries.count == 3)
    }
}

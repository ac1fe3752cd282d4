import AccessControl
import Foundation
import LDAPProtocol
import Schema
import Testing

@Suite("Rule evaluation")
struct AccessEvaluationTests {
    @Test("levels grant nested privilege sets")
    func levels() {
        #expect(AccessLevel.none.privileges == [])
        #expect(AccessLevel.disclose.privileges == [.disclose])
        #expect(AccessLevel.auth.privileges == [.disclose, .auth])
        #expect(AccessLevel.compare.privileges == [.disclose, .auth, .compare])
        #expect(AccessLevel.search.privileges == [.disclose, .auth, .compare, .search])
        #expect(AccessLevel.read.privileges == [.disclose, .auth, .compare, .search, .read])
        #expect(AccessLevel.add.privileges == AccessLevel.read.privileges.union(.add))
        #expect(!AccessLevel.add.privileges.contains(.delete))
        #expect(AccessLevel.delete.privileges == AccessLevel.read.privileges.union(.delete))
        #expect(AccessLevel.write.privileges == AccessLevel.read.privileges.union([.add, .delete]))
        #expect(!AccessLevel.write.privileges.contains(.manage))
        #expect(AccessLevel.manage.privileges.isSuperset(of: AccessLevel.write.privileges.union(.manage)))
    }

    @Test("the first rule selecting the entry and attribute applies, then its first matching clause")
    func firstMatch() throws {
        let compiled = try policy(
            """
            access to dn.subtree="ou=people,${suffix}" attrs=mail
                by users read
                by * write
            access to dn.subtree="ou=people,${suffix}" attrs=mail,cn
                by * write
            access to dn.subtree="${suffix}"
                by * search
            """)
        let target = try person("alice")
        let reader = try person("bob")
        let bob = subject(compiled, reader)
        // mail: rule 1, clause 'users' (not the later '* write', nor rule 2).
        #expect(compiled.access(to: target, as: bob).privileges(try type("mail")) == AccessLevel.read.privileges)
        // anonymous: rule 1's second clause.
        #expect(compiled.allows(.write, try type("mail"), of: target, as: .anonymous))
        // cn: rule 2.
        #expect(compiled.allows(.write, try type("cn"), of: target, as: bob))
        // sn: rule 3.
        #expect(compiled.access(to: target, as: bob).privileges(try type("sn")) == AccessLevel.search.privileges)
        // Outside every rule: none.
        let outside = try entry("cn=x,o=elsewhere", [("objectClass", ["device"]), ("cn", ["x"])])
        #expect(compiled.access(to: outside, as: bob).privileges(.entry) == [])
    }

    @Test("a rule that selects but has no clause for the subject gives none (no fall-through)")
    func noFallThrough() throws {
        let compiled = try policy(
            """
            access to dn.subtree="${suffix}" by self read
            access to * by * manage
            """)
        let target = try person("alice")
        #expect(compiled.access(to: target, as: .anonymous).privileges(.entry) == [])
    }

    @Test("DN scopes: base, one, subtree, children, compared normalised")
    func scopes() throws {
        let compiled = try policy(
            """
            access to dn.base="OU=People,${suffix}" attrs=entry by * read
            access to dn.one="ou=people,${suffix}" attrs=entry by * search
            access to dn.children="ou=admins,${suffix}" attrs=entry by * compare
            access to dn.subtree="ou=admins,${suffix}" attrs=entry by * auth
            """)
        func level(_ dn: String) throws -> AccessPrivileges {
            compiled.access(to: try entry(dn, [("objectClass", ["top"])]), as: .anonymous).privileges(.entry)
        }
        #expect(try level("ou=people,dc=EXAMPLE,dc=com") == AccessLevel.read.privileges)
        #expect(try level("uid=a,ou=people,\(suffix)") == AccessLevel.search.privileges)
        #expect(try level("cn=b,uid=a,ou=people,\(suffix)") == [])
        #expect(try level("cn=b,uid=a,ou=admins,\(suffix)") == AccessLevel.compare.privileges)
        #expect(try level("ou=admins,\(suffix)") == AccessLevel.auth.privileges)
        #expect(try level(suffix) == [])
    }

    @Test("filter in <what> selects entries; attrs selects types with subtypes, @class, * and +")
    func whatSelectors() throws {
        let compiled = try policy(
            """
            access to filter="(aspasieCodique=0950001)" attrs=name by * read
            access to attrs=@aspasiePerson by * search
            access to attrs=+ by * compare
            access to attrs=* by * auth
            """)
        let inTerritory = try person("a")
        let elsewhere = try person("b", codique: "0750001")
        #expect(compiled.allows(.read, try type("sn"), of: inTerritory, as: .anonymous))  // sn is a subtype of name
        #expect(!compiled.allows(.read, try type("sn"), of: elsewhere, as: .anonymous))
        #expect(compiled.access(to: elsewhere, as: .anonymous).privileges(try type("mobile")) == AccessLevel.search.privileges)
        #expect(compiled.access(to: elsewhere, as: .anonymous).privileges(try type("modifyTimestamp")) == AccessLevel.compare.privileges)
        #expect(compiled.access(to: elsewhere, as: .anonymous).privileges(try type("description")) == AccessLevel.auth.privileges)
        // attrs= lists never select the pseudo-attributes unless named.
        #expect(compiled.access(to: elsewhere, as: .anonymous).privileges(.entry) == [])
    }

    @Test("subjects: *, anonymous, users, self, dn, dn.subtree")
    func simpleSubjects() throws {
        let compiled = try policy(
            """
            access to attrs=cn by anonymous read
            access to attrs=sn by users read
            access to attrs=mail by self read
            access to attrs=mobile by dn="uid=portal,ou=admins,${suffix}" read
            access to attrs=description by dn.subtree="ou=admins,${suffix}" read
            access to attrs=l by * read
            """)
        let target = try person("alice")
        let alice = subject(compiled, target)
        let bob = subject(compiled, try person("bob"))
        let portal = compiled.subject(boundAs: try DistinguishedName("UID=Portal,ou=admins,\(suffix)"), entry: nil) { _ in nil }
        let check = { (name: String, who: AccessSubject) throws -> Bool in
            compiled.allows(.read, try type(name), of: target, as: who)
        }
        #expect(try check("cn", .anonymous) && !check("cn", bob))
        #expect(try !check("sn", .anonymous) && check("sn", bob))
        #expect(try check("mail", alice) && !check("mail", bob))
        #expect(try check("mobile", portal) && !check("mobile", bob))
        #expect(try check("description", portal) && !check("description", alice))
        #expect(try check("l", .anonymous) && check("l", alice))
    }

    @Test("group subjects: member or uniqueMember of the group entry, read once at bind")
    func groups() throws {
        let compiled = try policy(
            """
            access to * by group="cn=admins,ou=groups,${suffix}" write by * none
            """)
        let group = try entry(
            "cn=admins,ou=groups,\(suffix)",
            [
                ("objectClass", ["groupOfNames"]), ("cn", ["admins"]),
                ("member", ["uid=Alice,ou=people,\(suffix)"]),
            ])
        let unique = try entry(
            "cn=admins,ou=groups,\(suffix)",
            [
                ("objectClass", ["groupOfUniqueNames"]), ("cn", ["admins"]),
                ("uniqueMember", ["uid=bob,ou=people,\(suffix)#'0101'B"]),
            ])
        let target = try person("carol")
        var lookups = 0
        let alice = compiled.subject(boundAs: try DistinguishedName("uid=alice,ou=people,\(suffix)"), entry: nil) { dn in
            lookups += 1
            return dn == group.dn ? group : nil
        }
        #expect(lookups == 1)
        #expect(compiled.allows(.write, .entry, of: target, as: alice))
        let bob = subject(compiled, try person("bob"), groups: [unique])
        #expect(compiled.allows(.write, .entry, of: target, as: bob))
        let carol = subject(compiled, target, groups: [group])
        #expect(!compiled.allows(.read, .entry, of: target, as: carol))
    }

    @Test("filter subjects test the bound entry; match subjects compare its values with the target's")
    func entrySubjects() throws {
        let compiled = try policy(
            """
            access to dn.base="ou=people,${suffix}" by filter="(objectClass=aspasieCorrespondent)" write by * none
            access to * by match="aspasieTerritoryCodique=aspasieCodique" write by * none
            """)
        let correspondent = try entry(
            "uid=chantal,ou=admins,\(suffix)",
            [
                ("objectClass", ["inetOrgPerson", "aspasieCorrespondent"]), ("uid", ["chantal"]),
                ("aspasieIdentifier", ["chantal"]), ("cn", ["c"]), ("sn", ["c"]),
                ("aspasieTerritoryCodique", ["0950001", "0780001"]),
            ])
        let chantal = subject(compiled, correspondent)
        let bob = subject(compiled, try person("bob"))
        let branch = try entry("ou=people,\(suffix)", [("objectClass", ["organizationalUnit"]), ("ou", ["people"])])
        #expect(compiled.allows(.write, .children, of: branch, as: chantal))
        #expect(!compiled.allows(.read, .children, of: branch, as: bob))
        // Codiques compare under caseIgnoreMatch.
        #expect(compiled.allows(.write, .entry, of: try person("a", codique: "0780001"), as: chantal))
        #expect(compiled.allows(.write, .entry, of: try person("a", codique: " 0950001 "), as: chantal))
        #expect(!compiled.allows(.read, .entry, of: try person("a", codique: "0750001"), as: chantal))
        // A bound entry without the subject attribute matches nothing; neither does a target without it.
        #expect(!compiled.allows(.read, .entry, of: try person("a"), as: bob))
    }

    @Test("userPassword: never compared, searched or read but by the root DN; auth, add, delete honoured")
    func passwordIsAbsolute() throws {
        let compiled = try policy("access to * by * manage")
        let target = try person("alice")
        let alice = subject(compiled, target)
        let granted = compiled.access(to: target, as: alice).privileges(try type("userPassword"))
        #expect(granted.isDisjoint(with: [.compare, .search, .read]))
        #expect(granted.isSuperset(of: [.disclose, .auth, .add, .delete]))
        #expect(compiled.allows(.auth, try type("userPassword"), of: target, as: .anonymous))
        #expect(!compiled.allows(.read, try type("userPassword"), of: target, as: .anonymous))
        #expect(compiled.mayAuthenticate(target))
        let root = AccessSubject.root(try DistinguishedName("cn=admin,\(suffix)"))
        #expect(compiled.allows(.read, try type("userPassword"), of: target, as: root))
        // The unrestricted policy keeps the rule too.
        let open = AccessPolicy.unrestricted(context: try TestSchema.context())
        #expect(!open.allows(.read, try type("userPassword"), of: target, as: alice))
        #expect(open.allows(.write, try type("mail"), of: target, as: .anonymous))
    }

    @Test("the root DN bypasses every rule")
    func rootBypasses() throws {
        let compiled = try policy("access to * by * none")
        let root = AccessSubject.root(try DistinguishedName("cn=admin,\(suffix)"))
        let access = compiled.access(to: try person("alice"), as: root)
        #expect(access.bypasses)
        #expect(access.allows(.manage, .children))
        #expect(!compiled.mayAuthenticate(try person("alice")))
    }

    @Test("a cached subject describes the identity it was built for")
    func describes() throws {
        let compiled = try policy("access to * by * none")
        let dn = try DistinguishedName("uid=alice,ou=people,\(suffix)")
        let built = compiled.subject(boundAs: dn, entry: nil) { _ in nil }
        #expect(built.describes(dn: dn, isRoot: false))
        #expect(!built.describes(dn: nil, isRoot: false))
        #expect(AccessSubject.anonymous.describes(dn: nil, isRoot: false))
        #expect(AccessSubject.root(dn).describes(dn: dn, isRoot: true))
    }

    @Test("a search cache gives the same decisions as none, entry after entry")
    func cacheIsTransparent() throws {
        let text = try String(
            contentsOfFile: TestSchema.root.appendingPathComponent("config/access.rules").path, encoding: .utf8)
        let compiled = try policy(text)
        let correspondent = try entry(
            "uid=chantal,ou=admins,\(suffix)",
            [
                ("objectClass", ["inetOrgPerson", "aspasieCorrespondent"]), ("uid", ["chantal"]), ("cn", ["c"]),
                ("sn", ["c"]), ("aspasieIdentifier", ["chantal"]), ("aspasieTerritoryCodique", ["0950001"]),
            ])
        let entries = try [
            person("a-xt"), person("b-xt", codique: "0750001"), person("c-xt"), correspondent,
            entry("ou=people,\(suffix)", [("objectClass", ["organizationalUnit"]), ("ou", ["people"])]),
            person("d-xt", codique: "0750001"),
        ]
        let attributes: [AccessAttribute] = try [
            .entry, .children, type("mail"), type("mobile"), type("userPassword"), type("cn"), type("entryUUID"),
        ]
        for bound in [correspondent, try person("a-xt"), try person("b-xt", codique: "0750001")] {
            let who = subject(compiled, bound)
            let cache = AccessCache()
            for target in entries + entries {
                let cached = compiled.access(to: target, as: who, cache: cache)
                let fresh = compiled.access(to: target, as: who)
                for attribute in attributes {
                    #expect(cached.privileges(attribute) == fresh.privileges(attribute), "\(target.dn) \(attribute)")
                }
            }
        }
    }
}

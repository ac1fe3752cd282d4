import AccessControl
import Foundation
import LDAPProtocol
import Schema
import Testing

/// Value rules (`attrs=T val…=V`, docs/access-control.md "Value rules"): parsing, errors, ordering with
/// attribute rules, the value styles, and the fast path of policies without them.
@Suite("Value rules")
struct AccessValueRuleTests {
    private func compiledType(_ name: String) throws -> CompiledAttributeType {
        guard let type = try TestSchema.context().attributeType(named: name) else {
            throw TestFailure("unknown type \(name)")
        }
        return type
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("every value clause form compiles")
    func everyForm() throws {
        let compiled = try policy(
            """
            access to dn.subtree="${suffix}" attrs=businessCategory val="Partner"
                by users write
            access to attrs=businessCategory val.exact="x" by * read
            access to attrs=businessCategory val.base="y" by * read
            access to attrs=description val/caseExactMatch="Exact" by * read
            access to attrs=description val/2.5.13.5.exact="Exact2" by * read
            access to attrs=description val.regex="^public:" by * read
            access to attrs=member val.subtree="ou=people,${suffix}" by * read
            access to attrs=member val.one="ou=people,${suffix}" by * read
            access to attrs=member val.onelevel="ou=people,${suffix}" by * read
            access to attrs=member val.children="ou=people,${suffix}" by * read
            access to attrs=member val.sub="ou=people,${suffix}" by * read
            access to val="z" attrs=businessCategory by * read
            access to * by * none
            """)
        #expect(compiled.ruleCount == 13)
        #expect(compiled.hasValueRules)
        #expect(compiled.hasValueRules(for: try compiledType("businessCategory")))
        #expect(compiled.hasValueRules(for: try compiledType("member")))
        #expect(!compiled.hasValueRules(for: try compiledType("mail")))
    }

    @Test(
        "errors in value clauses name the file and the line",
        arguments: [
            ("access to attrs=cn,sn val=\"x\" by * read", 1, "exactly one type (found attrs=cn,sn)"),
            ("access to val=\"x\" by * read", 1, "exactly one type (found no attrs=)"),
            ("access to attrs=entry val=\"x\" by * read", 1, "exactly one type"),
            ("access to attrs=* val=\"x\" by * read", 1, "exactly one type"),
            ("access to attrs=@person val=\"x\" by * read", 1, "exactly one type"),
            ("# c\naccess to attrs=cn\n    val.regex=\"a(b\" by * read", 3, "invalid regular expression 'a(b'"),
            ("access to attrs=cn val.regex=\"(a)\\\\1\" by * read", 1, "back-references"),
            ("access to attrs=cn val.subtree=\"ou=x\" by * read", 1, "needs a DN-valued type"),
            ("access to attrs=cn val.fuzzy=\"x\" by * read", 1, "unknown value style 'val.fuzzy'"),
            ("access to attrs=cn val/noSuchMatch=\"x\" by * read", 1, "unknown matching rule 'nosuchmatch'"),
            ("access to attrs=cn val/integerMatch=\"1\" by * read", 1, "not an equality rule for the values of 'cn'"),
            ("access to attrs=cn val=\"a\" val=\"b\" by * read", 1, "already has a value clause"),
            ("access to attrs=aspasieSiret val=\"abc\" by * read", 1, "'abc' is not a valid value of 'aspasieSiret'"),
            ("access to attrs=member val.subtree=\"not a dn\" by * read", 1, "invalid DN 'not a dn'"),
            ("access to attrs=cn val/caseExactMatch.regex=\"x\" by * read", 1, "cannot be given with val.regex="),
        ])
    func errors(text: String, line: Int, message: String) throws {
        let error = try #require(policyError(text))
        #expect(error.file == "test.rules")
        #expect(error.line == line, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test("first match wins with value rules interleaved with attribute rules")
    func ordering() throws {
        let compiled = try policy(
            """
            access to dn.subtree="${suffix}" attrs=businessCategory val="secret"
                by * none
            access to dn.subtree="${suffix}" attrs=businessCategory val="partner"
                by users write
                by * compare
            access to dn.subtree="${suffix}" attrs=businessCategory
                by users read
            access to dn.subtree="${suffix}" attrs=businessCategory val="never"
                by * manage
            access to * by * read
            """)
        let category = try compiledType("businessCategory")
        let target = try person("alice", extra: [("businessCategory", ["partner", "secret", "other"])])
        let bob = subject(compiled, try person("bob"))
        let access = compiled.access(to: target, as: bob)
        // Rule 1: the value, compared under caseIgnoreMatch ("  SECRET " is "secret").
        #expect(access.privileges(category, value: bytes("secret")) == [])
        #expect(access.privileges(category, value: bytes("  SECRET ")) == [])
        // Rule 2 for its value, first clause naming the subject.
        #expect(access.privileges(category, value: bytes("Partner")) == AccessLevel.write.privileges)
        #expect(
            compiled.access(to: target, as: .anonymous).privileges(category, value: bytes("partner"))
                == AccessLevel.compare.privileges)
        // Other values: rule 3 (value rules not selecting them are passed over).
        #expect(access.privileges(category, value: bytes("other")) == AccessLevel.read.privileges)
        // Rule 4 comes after rule 3, which selects every value: never reached.
        #expect(access.privileges(category, value: bytes("never")) == AccessLevel.read.privileges)
        // The attribute as a whole: value rules are skipped, rule 3 decides.
        #expect(access.privileges(.type(category)) == AccessLevel.read.privileges)
        #expect(compiled.access(to: target, as: .anonymous).privileges(.type(category)) == [])
        // Another type: unaffected.
        #expect(access.privileges(try type("mail")) == AccessLevel.read.privileges)
        #expect(access.privileges(try compiledType("mail"), value: bytes("x")) == AccessLevel.read.privileges)
    }

    @Test("a value rule only applies where its DN and filter select the entry")
    func selection() throws {
        let compiled = try policy(
            """
            access to dn.subtree="ou=admins,${suffix}" attrs=businessCategory val="partner"
                by * manage
            access to filter="(sn=special)" attrs=businessCategory val="partner"
                by * write
            access to attrs=businessCategory
                by * read
            """)
        let category = try compiledType("businessCategory")
        let plain = try person("alice")
        let special = try person("carl", extra: [("sn", ["special"])])
        let admin = try entry("uid=adm,ou=admins,\(suffix)", [("objectClass", ["account"]), ("uid", ["adm"])])
        #expect(
            compiled.access(to: plain, as: .anonymous).privileges(category, value: bytes("partner"))
                == AccessLevel.read.privileges)
        #expect(
            compiled.access(to: special, as: .anonymous).privileges(category, value: bytes("partner"))
                == AccessLevel.write.privileges)
        #expect(
            compiled.access(to: admin, as: .anonymous).privileges(category, value: bytes("partner"))
                == AccessLevel.manage.privileges)
    }

    @Test("a type selected only by value rules: the attribute as a whole falls to later rules")
    func attributeSkipsValueRules() throws {
        let compiled = try policy(
            """
            access to attrs=businessCategory val="partner"
                by * write
            access to attrs=entry
                by * read
            """)
        let category = try compiledType("businessCategory")
        let access = compiled.access(to: try person("alice"), as: .anonymous)
        #expect(access.privileges(.type(category)) == [])
        #expect(access.privileges(category, value: bytes("partner")) == AccessLevel.write.privileges)
        #expect(access.privileges(category, value: bytes("other")) == [])
        #expect(access.hasValueRules(for: category))
    }

    @Test("val.regex: found anywhere unless anchored, case ignored where the equality rule ignores it")
    func regex() throws {
        let compiled = try policy(
            """
            access to attrs=description val.regex="^public:" by * read
            access to attrs=businessCategory val.regex="dm" by * read
            access to attrs=mail val.regex="^[a-z]+@example\\\\.com$" by * read
            access to * by * none
            """)
        let access = compiled.access(to: try person("alice"), as: .anonymous)
        let description = try compiledType("description")
        #expect(access.allows(.read, description, value: bytes("public: hello")))
        #expect(access.allows(.read, description, value: bytes("PUBLIC: hello")))  // caseIgnoreMatch
        #expect(!access.allows(.read, description, value: bytes("not public: hello")))
        #expect(!access.allows(.read, description, value: [0x70, 0x75, 0x62, 0x00]))  // a NUL: not text
        let category = try compiledType("businessCategory")
        #expect(access.allows(.read, category, value: bytes("admin")))
        #expect(!access.allows(.read, category, value: bytes("user")))
        let mail = try compiledType("mail")  // caseIgnoreIA5Match
        #expect(access.allows(.read, mail, value: bytes("Alice@Example.com")))
        #expect(!access.allows(.read, mail, value: bytes("alice@exampleXcom")))
    }

    @Test("DN styles: the value as a DN, normalised, in the scope")
    func dnStyles() throws {
        let compiled = try policy(
            """
            access to attrs=member val.children="ou=people,${suffix}" by * write
            access to attrs=member val="cn=boss,${suffix}" by * manage
            access to attrs=owner val.base="cn=boss,${suffix}" by * write
            access to attrs=seeAlso val.one="ou=people,${suffix}" by * write
            access to * by * read
            """)
        let access = compiled.access(to: try person("alice"), as: .anonymous)
        let member = try compiledType("member")
        #expect(
            access.privileges(member, value: bytes("UID=x,OU=People,dc=example,dc=com")) == AccessLevel.write.privileges
        )
        #expect(
            access.privileges(member, value: bytes("cn=y,uid=x,ou=people,\(suffix)")) == AccessLevel.write.privileges)
        #expect(access.privileges(member, value: bytes("ou=people,\(suffix)")) == AccessLevel.read.privileges)
        #expect(access.privileges(member, value: bytes("cn=x,ou=groups,\(suffix)")) == AccessLevel.read.privileges)
        #expect(access.privileges(member, value: bytes("CN=Boss, dc=example,dc=com")) == AccessLevel.manage.privileges)
        #expect(access.privileges(member, value: bytes("not a DN")) == AccessLevel.read.privileges)
        let owner = try compiledType("owner")
        #expect(access.privileges(owner, value: bytes("cn=BOSS,\(suffix)")) == AccessLevel.write.privileges)
        #expect(access.privileges(owner, value: bytes("cn=x,cn=boss,\(suffix)")) == AccessLevel.read.privileges)
        let seeAlso = try compiledType("seeAlso")
        #expect(access.privileges(seeAlso, value: bytes("uid=x,ou=people,\(suffix)")) == AccessLevel.write.privileges)
        #expect(
            access.privileges(seeAlso, value: bytes("cn=y,uid=x,ou=people,\(suffix)")) == AccessLevel.read.privileges)
    }

    @Test("val/RULE compares with that rule; subtypes are selected with their supertype")
    func matchingRuleAndSubtypes() throws {
        let compiled = try policy(
            """
            access to attrs=description val/caseExactMatch="Exact" by * write
            access to attrs=name val="Mairie" by * manage
            access to * by * read
            """)
        let access = compiled.access(to: try person("alice"), as: .anonymous)
        let description = try compiledType("description")
        #expect(access.privileges(description, value: bytes("Exact")) == AccessLevel.write.privileges)
        #expect(access.privileges(description, value: bytes("exact")) == AccessLevel.read.privileges)
        // cn is a subtype of name: the value rule on name selects cn values too.
        let cn = try compiledType("cn")
        #expect(access.privileges(cn, value: bytes("mairie")) == AccessLevel.manage.privileges)
        #expect(access.privileges(cn, value: bytes("Ecole")) == AccessLevel.read.privileges)
    }

    @Test("objectClass values compare by OID, and assertion values as assertions")
    func objectClassValues() throws {
        let compiled = try policy(
            """
            access to attrs=objectClass val="aspasieCorrespondent" by * read
            access to attrs=objectClass by * write
            """)
        let access = compiled.access(to: try person("alice"), as: .anonymous)
        let objectClass = try compiledType("objectClass")
        #expect(access.privileges(objectClass, value: bytes("ASPASIECORRESPONDENT")) == AccessLevel.read.privileges)
        let oid = try #require(try TestSchema.context().objectClass(named: "aspasieCorrespondent")).oid
        #expect(access.privileges(objectClass, value: bytes(oid), assertion: true) == AccessLevel.read.privileges)
        #expect(access.privileges(objectClass, value: bytes("person")) == AccessLevel.write.privileges)
    }

    @Test("userPassword: a value rule cannot make a value readable; the root DN bypasses value rules")
    func passwordAndRoot() throws {
        let compiled = try policy(
            """
            access to attrs=userPassword val="secret" by * manage
            access to attrs=businessCategory val="x" by * none
            access to * by * read
            """)
        let password = try compiledType("userPassword")
        let access = compiled.access(to: try person("alice"), as: .anonymous)
        #expect(
            access.privileges(password, value: bytes("secret")) == AccessLevel.manage.privileges.subtracting(.revealing)
        )
        let root = compiled.access(to: try person("alice"), as: .root(try DistinguishedName("cn=manager")))
        #expect(root.allows(.manage, try compiledType("businessCategory"), value: bytes("x")))
        #expect(!root.hasValueRules(for: try compiledType("businessCategory")))
    }

    @Test("without value rules, a check about a value is the check about its attribute")
    func fastPath() throws {
        let plain = try policy(
            """
            access to dn.children="ou=people,${suffix}" attrs=mail by self write by users read
            access to dn.children="ou=people,${suffix}" by match="aspasieTerritoryCodique=aspasieCodique" write
            access to * by users read
            """)
        #expect(!plain.hasValueRules)
        // The shipped policy's value rules are on objectClass only: every other type keeps the attribute path.
        let path = TestSchema.root.appendingPathComponent("config/access.rules").path
        let shipped = try AccessPolicy(contentsOf: path, variables: ["suffix": suffix], context: try TestSchema.context())
        let objectClass = try compiledType("objectClass")
        #expect(shipped.hasValueRules && shipped.hasValueRules(for: objectClass))
        let target = try person("alice")
        for compiled in [plain, shipped] {
            for name in ["mail", "mobile", "userPassword", "cn", "aspasieCodique"] {
                let checked = try compiledType(name)
                #expect(!compiled.hasValueRules(for: checked))
                for who in [subject(compiled, try person("bob")), .anonymous, subject(compiled, target)] {
                    let access = compiled.access(to: target, as: who)
                    #expect(access.privileges(checked, value: bytes("v")) == access.privileges(.type(checked)))
                    #expect(!access.valuesMayDiffer(.read, checked))
                }
            }
        }
    }

    @Test("values may differ only where an earlier value rule answers otherwise than the attribute's rule")
    func valuesMayDiffer() throws {
        let compiled = try policy(
            """
            access to attrs=objectClass val="aspasieCorrespondent" by self read by users read by * none
            access to attrs=objectClass by self write by users read by * none
            access to attrs=businessCategory val="x" by * none
            access to attrs=businessCategory by users read
            access to attrs=businessCategory val="y" by * manage
            access to * by * read
            """)
        let target = try person("alice")
        let objectClass = try compiledType("objectClass")
        let category = try compiledType("businessCategory")
        let bob = compiled.access(to: target, as: subject(compiled, try person("bob")))
        #expect(!bob.valuesMayDiffer(.read, objectClass))
        #expect(bob.valuesMayDiffer(.read, category))
        let anonymous = compiled.access(to: target, as: .anonymous)
        #expect(!anonymous.valuesMayDiffer(.read, objectClass))
        #expect(!anonymous.valuesMayDiffer(.read, category))  // none either way; rule 5 is never reached
        let own = compiled.access(to: target, as: subject(compiled, target))
        #expect(!own.valuesMayDiffer(.read, objectClass))
        #expect(own.valuesMayDiffer(.add, objectClass))
        #expect(!compiled.access(to: target, as: .root(try DistinguishedName("cn=manager"))).valuesMayDiffer(.read, category))
    }
}

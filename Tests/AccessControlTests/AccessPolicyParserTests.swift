import AccessControl
import Foundation
import LDAPProtocol
import Testing

@Suite("Rule file syntax")
struct AccessPolicyParserTests {
    @Test("every construct compiles")
    func everyConstruct() throws {
        let compiled = try policy(
            """
            # a comment
              # an indented comment

            access to dn.base="" by * read
            access to dn.exact="cn=Subschema" by * read
            access to dn.one="ou=people,${suffix}" filter="(objectClass=inetOrgPerson)" attrs=mobile,cn;lang-fr
                by self write
                by match="aspasieTerritoryCodique=aspasieCodique" write
                by group="cn=admins,${suffix}" manage
                by filter="(objectClass=aspasieCorrespondent)" read
                by dn="uid=portal,ou=admins,${suffix}" search
                by dn.subtree="ou=admins,${suffix}" compare
                by dn.children="ou=x,${suffix}" auth
                by users disclose
                by anonymous none
            access to dn.subtree="${suffix}" attrs=entry,children,*,+,@aspasiePerson,2.5.4.3
                by * add
                by * delete
            access to dn.children="ou=structures,${suffix}" by "users" write
            access to * by * none
            """)
        #expect(compiled.ruleCount == 6)
        #expect(compiled.groupDNs.map(\.description) == ["cn=admins,dc=example,dc=com"])
    }

    @Test("errors name the file, the line and what is wrong", arguments: [
        ("access to * by * readd", 1, "unknown access level 'readd'"),
        ("access to *\n    by *", 2, "needs a <level>"),
        ("access to *", 1, "no 'by' clause"),
        ("access * by * read", 1, "expected 'to'"),
        ("acces to * by * read", 1, "starts with 'access to'"),
        ("  by * read", 1, "indented line outside a rule"),
        ("access to attrs=nosuchattr by * read", 1, "unknown attribute type 'nosuchattr'"),
        ("access to attrs=@nosuchclass by * read", 1, "unknown object class"),
        ("access to dn.subtree=\"ou=people,${nosuch}\" by * read", 1, "unknown variable ${nosuch}"),
        ("access to dn.sideways=\"ou=people\" by * read", 1, "unknown DN scope"),
        ("access to dn=\"not a dn\" by * read", 1, "invalid DN"),
        ("access to dn=\"foo=bar\" by * read", 1, "unknown attribute type 'foo'"),
        ("access to filter=\"(cn=x\" by * read", 1, "invalid filter"),
        ("access to *\n\n  by match=\"aspasieCodique\" write", 3, "match= expects"),
        ("access to * by match=\"mail=nosuch\" write", 1, "unknown attribute type 'nosuch'"),
        ("access to * by somebody read", 1, "unknown <who>"),
        ("access to everything by * read", 1, "unexpected 'everything'"),
        ("access to * by \"* read", 1, "unterminated quoted value"),
        ("access to dn=\"${suffix}\" dn=\"${suffix}\" by * read", 1, "already selects a DN"),
        ("access to *\n    by * read\n    bye * read", 3, "expected 'by'"),
    ])
    func errors(text: String, line: Int, message: String) throws {
        let error = try #require(policyError(text))
        #expect(error.file == "test.rules")
        #expect(error.line == line)
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("test.rules:\(line): "))
    }

    @Test("an unreadable file is an error naming it")
    func unreadable() throws {
        #expect(throws: AccessPolicyError.self) {
            _ = try AccessPolicy(contentsOf: "/nonexistent/access.rules", context: try TestSchema.context())
        }
    }

    @Test("the shipped default policy compiles")
    func shippedPolicy() throws {
        let path = TestSchema.root.appendingPathComponent("config/access.rules").path
        let compiled = try AccessPolicy(
            contentsOf: path, variables: ["suffix": suffix], context: try TestSchema.context())
        #expect(compiled.ruleCount > 10)
    }

    @Test("variables are expanded in values, and CRLF line ends are accepted")
    func variables() throws {
        let compiled = try AccessPolicy(
            text: "access to dn.subtree=\"ou=${branch},${suffix}\"\r\n    by * read\r\n", file: "x",
            variables: ["suffix": suffix, "branch": "people"], context: try TestSchema.context())
        let inside = try person("a")
        let outside = try entry("cn=x,\(suffix)", [("objectClass", ["device"]), ("cn", ["x"])])
        #expect(compiled.allows(.read, .entry, of: inside, as: .anonymous))
        #expect(!compiled.allows(.read, .entry, of: outside, as: .anonymous))
    }
}

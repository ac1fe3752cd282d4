import Directory
import LDAPProtocol
import NIOCore
import Schema
import Testing

/// An item or a Compare on a supertype (`name`) matches the values of its subtypes (`cn`, `sn`…): a rule
/// denying a subtype must not be bypassed through its supertype (docs/access-control.md).
private let hideSurnames = """
    access to dn.children="ou=people,${suffix}" attrs=sn
        by * none
    access to *
        by users read
    """

@Suite("Access through a supertype")
struct SupertypeAccessTests {
    @Test("a filter on the supertype does not test the hidden subtype's values")
    func filterOnSupertype() throws {
        let directory = try TestDirectory(accessRules: hideSurnames)
        let alice = ConnectionInfo.entry("alice")
        // Every person's sn is "Martin": through `name`, it would find them all.
        let bySurname = try directory.search(peopleDN, filter: "(name=Martin)", attributes: ["1.1"], as: alice)
        #expect(bySurname.entries.isEmpty)
        let bySubstring = try directory.search(peopleDN, filter: "(name=Mar*)", attributes: ["1.1"], as: alice)
        #expect(bySubstring.entries.isEmpty)
        // The readable subtype itself still answers, and the root DN sees through the supertype.
        let byCN = try directory.search(peopleDN, filter: "(cn=Person bob)", attributes: ["1.1"], as: alice)
        #expect(byCN.entries.count == 1)
        let asRoot = try directory.search(peopleDN, filter: "(name=Martin)", attributes: ["1.1"], as: .root)
        #expect(!asRoot.entries.isEmpty)
    }

    @Test("a Compare on the supertype does not tell the hidden subtype's values")
    func compareOnSupertype() throws {
        let directory = try TestDirectory(accessRules: hideSurnames)
        func compare(_ value: String, as connection: ConnectionInfo) -> ResultCode {
            directory.perform(
                .compareRequest(
                    CompareRequest(
                        entry: ByteBuffer(string: "uid=bob,\(peopleDN)"),
                        assertion: AttributeValueAssertion("name", value))),
                as: connection
            ).outcome.log.resultCode
        }
        #expect(compare("Martin", as: .entry("alice")) == .compareFalse)
        #expect(compare("Person bob", as: .entry("alice")) == .compareTrue)
        #expect(compare("Martin", as: .root) == .compareTrue)
    }
}

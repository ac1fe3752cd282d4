import LDAPProtocol
import Schema
import Testing

@testable import Storage

private struct Refusal: Error {}

@Suite("Directory store: add, read, delete, modify, rename")
struct DirectoryStoreTests {
    @Test("add then read by DN (any spelling) and by id; a reopened store keeps everything")
    func addAndRead() throws {
        try withTemporaryDataDirectory { directory in
            var id = EntryID.root
            do {
                let store = try openStore(directory)
                try store.add(domain())
                try store.add(unit("ou=people,dc=example,dc=com"))
                id = try store.add(person("jdupont"))
                #expect(try store.entry(dn: dn("UID=JDupont, OU=People,DC=Example,DC=com")) == person("jdupont"))
                #expect(try store.entry(id: id) == person("jdupont"))
                #expect(try store.id(of: dn("uid=jdupont,ou=people,dc=example,dc=com")) == id)
                #expect(try store.entry(dn: dn("uid=nobody,ou=people,dc=example,dc=com")) == nil)
            }
            let reopened = try openStore(directory)
            #expect(try reopened.entry(id: id) == person("jdupont"))
            #expect(try reopened.counts().total == 3)
            // Ids are never reused.
            #expect(try reopened.add(person("other")) == EntryID(rawValue: id.rawValue + 1))
        }
    }

    @Test("add errors: noSuchObject with matched DN, entryAlreadyExists, schema violations")
    func addErrors() throws {
        try withStore { store in
            let missing = #expect(throws: StoreError.self) {
                try store.add(person("x", under: "ou=ghost,ou=deeper,ou=people,dc=example,dc=com"))
            }
            #expect(missing?.resultCode == .noSuchObject)
            #expect(missing?.matchedDN == (try dn("ou=people,dc=example,dc=com")))
            let outside = #expect(throws: StoreError.self) { try store.add(unit("ou=x,dc=other")) }
            #expect(outside?.resultCode == .noSuchObject)
            #expect(outside?.matchedDN == .root)
            try store.add(person("jdupont"))
            let duplicate = #expect(throws: StoreError.self) {
                try store.add(person("JDUPONT"))
            }
            #expect(duplicate?.resultCode == .entryAlreadyExists)
            var invalid = try person("bad")
            invalid.attributes.removeAll { $0.description.type == "sn" }
            #expect(throws: StoreError.self) { try store.add(invalid) }
            #expect((try? store.add(invalid)) == nil)
            let violation = #expect(throws: StoreError.self) { try store.add(invalid) }
            #expect(violation?.resultCode == .objectClassViolation)
            #expect(try store.counts().total == 3)
        }
    }

    @Test("delete: leaf only, noSuchObject for a missing entry; indexes and counters follow")
    func delete() throws {
        try withStore { store in
            try store.add(person("jdupont", population: "SSLSPL"))
            let nonLeaf = #expect(throws: StoreError.self) { try store.delete(dn: dn("ou=people,dc=example,dc=com")) }
            #expect(nonLeaf?.resultCode == .notAllowedOnNonLeaf)
            let missing = #expect(throws: StoreError.self) {
                try store.delete(dn: dn("uid=ghost,ou=people,dc=example,dc=com"))
            }
            #expect(missing?.resultCode == .noSuchObject)
            #expect(missing?.matchedDN == (try dn("ou=people,dc=example,dc=com")))
            try store.delete(dn: dn("uid=jdupont,ou=people,dc=example,dc=com"))
            #expect(try store.entry(dn: dn("uid=jdupont,ou=people,dc=example,dc=com")) == nil)
            let found = try store.search(
                base: suffix, scope: .wholeSubtree, filter: Filter(string: "(uid=jdupont)"))
            #expect(found.entries.isEmpty)
            #expect(found.explanation.candidateCount == 0)
            #expect(try store.counts() == store.recount())
            #expect(
                try store.counts().count(
                    attribute: "2.25.208241287730979937341023007625728684541.1.3", value: Array("sslspl".utf8)) == 0)
            try store.delete(dn: dn("ou=people,dc=example,dc=com"))
            try store.delete(dn: suffix)
            #expect(try store.counts().counters.isEmpty)
        }
    }

    @Test("modify: add, delete, replace, increment, with their error codes")
    func modify() throws {
        try withStore { store in
            let name = try dn("uid=jdupont,ou=people,dc=example,dc=com")
            try store.add(person("jdupont", extra: [("description", ["one"]), ("employeeNumber", ["41"])]))
            let updated = try store.modify(
                dn: name,
                changes: [
                    Modification(.add, "description", ["two"]), Modification(.delete, "description", ["ONE"]),
                    Modification(.replace, "aspasieCodique", ["0130000"]),
                    Modification(.increment, "employeeNumber", ["1"]),
                ])
            #expect(updated.values(of: "description") == [Array("two".utf8)])
            #expect(updated.values(of: "employeeNumber") == [Array("42".utf8)])
            #expect(try store.entry(dn: name) == updated)
            let byCodique = try store.search(
                base: suffix, scope: .wholeSubtree, filter: Filter(string: "(aspasieCodique=0130000)"))
            #expect(byCodique.entries.map(\.entry.dn) == [name])

            func code(_ changes: [Modification]) -> ResultCode? {
                #expect(throws: StoreError.self) { try store.modify(dn: name, changes: changes) }
                do { try store.modify(dn: name, changes: changes) } catch { return error.resultCode }
                return nil
            }
            #expect(code([Modification(.add, "description", ["TWO"])]) == .attributeOrValueExists)
            #expect(code([Modification(.delete, "description", ["three"])]) == .noSuchAttribute)
            #expect(code([Modification(.delete, "telephoneNumber")]) == .noSuchAttribute)
            #expect(code([Modification(.add, "noSuchType", ["x"])]) == .undefinedAttributeType)
            #expect(code([Modification(.increment, "description", ["1"])]) == .constraintViolation)
            #expect(code([Modification(.increment, "telephoneNumber", ["1"])]) == .noSuchAttribute)
            #expect(code([Modification(.delete, "uid")]) == .notAllowedOnRDN)
            #expect(code([Modification(.delete, "sn")]) == .objectClassViolation)
            #expect(code([Modification(.replace, "aspasiePopulation", ["SSLEPN", "SSLSPL"])]) == .constraintViolation)
            let missing = #expect(throws: StoreError.self) {
                try store.modify(dn: dn("uid=ghost,ou=people,dc=example,dc=com"), changes: [])
            }
            #expect(missing?.resultCode == .noSuchObject)
            #expect(try store.entry(dn: name) == updated)
        }
    }

    @Test(
        "a failed write leaves no trace: schema violation mid-modify, error thrown in the transaction, failed add and rename"
    )
    func failedWritesLeaveNoTrace() throws {
        try withStore { store in
            let name = try dn("uid=jdupont,ou=people,dc=example,dc=com")
            try store.add(person("jdupont", cn: "Jean Dupont"))
            try store.add(person("other"))
            let before = try databaseFingerprint(store)
            let counts = try store.counts()
            let entry = try store.entry(dn: name)

            // The first changes are fine, the third breaks the schema: nothing of the three is kept.
            #expect(throws: StoreError.self) {
                try store.modify(
                    dn: name,
                    changes: [
                        Modification(.replace, "cn", ["Jeanne Durand"]),
                        Modification(.replace, "aspasiePopulation", ["SSLSPL"]),
                        Modification(.delete, "mail"),
                    ])
            }
            // An error thrown by the caller's closure after it changed the entry.
            #expect(throws: Refusal.self) {
                do {
                    try store.modify(dn: name) { entry in
                        entry.attributes.append(EntryAttribute("description", ["half-done"]))
                        throw Refusal()
                    }
                } catch let error as StoreError {
                    #expect(error.resultCode == .other)
                    throw Refusal()
                }
            }
            #expect(throws: StoreError.self) { try store.add(person("x", under: "ou=ghost,dc=example,dc=com")) }
            #expect(throws: StoreError.self) {
                try store.rename(
                    dn: name, newRDN: RelativeDistinguishedName(type: "uid", value: "other"), deleteOldRDN: true)
            }
            #expect(try databaseFingerprint(store) == before)
            #expect(try store.counts() == counts)
            #expect(try store.entry(dn: name) == entry)
            for filter in [
                "(cn=Jeanne Durand)", "(description=half-done)", "(aspasiePopulation=SSLSPL)", "(cn=*durand*)",
            ] {
                let result = try store.search(base: suffix, scope: .wholeSubtree, filter: Filter(string: filter))
                #expect(result.entries.isEmpty, "\(filter)")
            }
            // The next add gets the next id: the failed add consumed none.
            let next = try store.add(person("after"))
            #expect(next == EntryID(rawValue: 5))
        }
    }

    @Test("rename: new RDN with and without deleteOldRDN, new superior, and its errors")
    func rename() throws {
        try withStore { store in
            try store.add(unit("ou=staff,dc=example,dc=com"))
            let id = try store.add(person("jdupont"))
            let renamed = try store.rename(
                dn: dn("uid=jdupont,ou=people,dc=example,dc=com"),
                newRDN: RelativeDistinguishedName(type: "uid", value: "jdurand"), deleteOldRDN: true)
            #expect(renamed == (try dn("uid=jdurand,ou=people,dc=example,dc=com")))
            let entry = try #require(try store.entry(dn: renamed))
            #expect(entry.values(of: "uid") == [Array("jdurand".utf8)])
            #expect(try store.id(of: renamed) == id)
            #expect(try store.entry(dn: dn("uid=jdupont,ou=people,dc=example,dc=com")) == nil)

            let kept = try store.rename(
                dn: renamed, newRDN: RelativeDistinguishedName(type: "cn", value: "Jean Durand"), deleteOldRDN: false,
                newSuperior: dn("ou=staff,dc=example,dc=com"))
            let moved = try #require(try store.entry(dn: kept))
            #expect(Set(moved.values(of: "cn")) == [Array("Person jdupont".utf8), Array("Jean Durand".utf8)])
            #expect(moved.values(of: "uid") == [Array("jdurand".utf8)])
            let oneLevel = try store.search(
                base: dn("ou=staff,dc=example,dc=com"), scope: .singleLevel, filter: Filter(string: "(objectClass=*)"))
            #expect(oneLevel.entries.map(\.id) == [id])
            let found = try store.search(base: suffix, scope: .wholeSubtree, filter: Filter(string: "(uid=jdurand)"))
            #expect(found.entries.map(\.entry.dn) == [kept])

            try store.add(person("taken", under: "ou=staff,dc=example,dc=com"))
            let staff = try dn("ou=staff,dc=example,dc=com")
            let ghost = try dn("ou=ghost,dc=example,dc=com")
            let taken = try dn("uid=taken,ou=staff,dc=example,dc=com")
            let ghostPerson = try dn("uid=ghost,ou=staff,dc=example,dc=com")
            func code(_ body: () throws(StoreError) -> Void) -> ResultCode? {
                do { try body() } catch { return error.resultCode }
                return nil
            }
            #expect(
                code { () throws(StoreError) in
                    _ = try store.rename(
                        dn: kept, newRDN: RelativeDistinguishedName(type: "uid", value: "taken"), deleteOldRDN: true)
                } == .entryAlreadyExists)
            #expect(
                code { () throws(StoreError) in
                    _ = try store.rename(
                        dn: kept, newRDN: RelativeDistinguishedName(type: "uid", value: "y"), deleteOldRDN: true,
                        newSuperior: ghost)
                } == .noSuchObject)
            #expect(
                code { () throws(StoreError) in
                    _ = try store.rename(
                        dn: staff, newRDN: RelativeDistinguishedName(type: "ou", value: "in"),
                        deleteOldRDN: true, newSuperior: taken)
                } == .unwillingToPerform)
            #expect(
                code { () throws(StoreError) in
                    _ = try store.rename(
                        dn: ghostPerson,
                        newRDN: RelativeDistinguishedName(type: "uid", value: "z"), deleteOldRDN: true)
                } == .noSuchObject)
            #expect(try store.counts() == store.recount())
        }
    }

    @Test("a subtree rename keeps every descendant findable by DN, by scope and by index")
    func subtreeRename() throws {
        try withStore { store in
            try store.add(unit("ou=paris,ou=people,dc=example,dc=com"))
            try store.add(unit("ou=nord,ou=paris,ou=people,dc=example,dc=com"))
            var ids: [String: EntryID] = [:]
            for index in 0..<30 {
                let parent =
                    index % 2 == 0
                    ? "ou=paris,ou=people,dc=example,dc=com" : "ou=nord,ou=paris,ou=people,dc=example,dc=com"
                ids["u\(index)"] = try store.add(person("u\(index)", under: parent))
            }
            try store.add(unit("ou=regions,dc=example,dc=com"))
            let newDN = try store.rename(
                dn: dn("ou=paris,ou=people,dc=example,dc=com"),
                newRDN: RelativeDistinguishedName(type: "ou", value: "idf"),
                deleteOldRDN: true, newSuperior: dn("ou=regions,dc=example,dc=com"))
            #expect(newDN == (try dn("ou=idf,ou=regions,dc=example,dc=com")))
            for index in 0..<30 {
                let parent =
                    index % 2 == 0
                    ? "ou=idf,ou=regions,dc=example,dc=com" : "ou=nord,ou=idf,ou=regions,dc=example,dc=com"
                let name = try dn("uid=u\(index),\(parent)")
                let entry = try #require(try store.entry(dn: name), "\(name)")
                #expect(entry.dn == name)
                #expect(try store.id(of: name) == ids["u\(index)"])
                #expect(try store.entry(dn: dn("uid=u\(index),ou=paris,ou=people,dc=example,dc=com")) == nil)
            }
            let subtree = try store.search(base: newDN, scope: .wholeSubtree, filter: Filter(string: "(objectClass=*)"))
            #expect(subtree.entries.count == 32)
            let old = #expect(throws: StoreError.self) {
                try store.search(
                    base: dn("ou=paris,ou=people,dc=example,dc=com"), scope: .wholeSubtree,
                    filter: Filter(string: "(objectClass=*)"))
            }
            #expect(old?.resultCode == .noSuchObject)
            let byIndex = try store.search(
                base: dn("ou=regions,dc=example,dc=com"), scope: .wholeSubtree, filter: Filter(string: "(uid=u7)"))
            #expect(byIndex.entries.map(\.entry.dn) == [try dn("uid=u7,ou=nord,ou=idf,ou=regions,dc=example,dc=com")])
            let people = try store.search(
                base: dn("ou=people,dc=example,dc=com"), scope: .wholeSubtree, filter: Filter(string: "(uid=u7)"))
            #expect(people.entries.isEmpty)
            #expect(try store.counts() == store.recount())
        }
    }
}

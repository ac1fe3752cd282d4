import LDAPProtocol
import Schema
import Testing

@testable import Storage

/// Random directories, random operations and random filters, checked against references computed from a full
/// scan: the counters against a recount, indexed searches against scope + filter on every entry.
@Suite("Directory store properties")
struct StorePropertyTests {
    static let units = [
        "ou=people,dc=example,dc=com", "ou=a,ou=people,dc=example,dc=com", "ou=b,ou=people,dc=example,dc=com",
        "ou=c,ou=a,ou=people,dc=example,dc=com", "ou=staff,dc=example,dc=com",
    ]
    static let first = ["Jean", "Anne", "Marie", "Luc", "Zoé", "Éric", "Ana"]
    static let last = ["Martin", "Bernard", "Durand", "Petit", "Leroy", "Moreau", "Dubois"]
    static let codiques = ["0750100", "0750200", "0130000", "0690001", "9740000"]
    static let populations = ["SSLEPN", "SSLSPL"]
    static let descriptions = ["chef de bureau", "agent comptable", "Directeur", "stagiaire  été"]

    static func randomPerson(_ number: Int, _ generator: inout SeededGenerator) throws -> Entry {
        let given = first.randomElement(using: &generator)!
        let family = last.randomElement(using: &generator)!
        var extra: [(String, [String])] = [("givenName", [given])]
        if Bool.random(using: &generator) {
            extra.append(("description", [descriptions.randomElement(using: &generator)!]))
        }
        if Int.random(in: 0..<3, using: &generator) == 0 { extra.append(("cn;lang-fr", ["\(given) le \(family)"])) }
        if Bool.random(using: &generator) {
            let day = Int.random(in: 10...28, using: &generator)
            extra.append(("pwdChangedTime", ["202403\(day)120000Z"]))
        }
        if Int.random(in: 0..<4, using: &generator) == 0 {
            extra.append(("telephoneNumber", ["+33 1 23 45 67 \(10 + number % 90)"]))
        }
        let extensible = Int.random(in: 0..<5, using: &generator) == 0
        var entry = try person(
            "u\(number)", under: units.randomElement(using: &generator)!, cn: "\(given) \(family)", sn: family,
            population: populations.randomElement(using: &generator)!,
            codique: codiques.randomElement(using: &generator)!, extra: extra)
        if Bool.random(using: &generator),
            let index = entry.attributes.firstIndex(where: { $0.description.type == "objectClass" })
        {
            // Superclasses implied, not listed: (objectClass=person) must still find the entry.
            entry.attributes[index].values = [Array("inetOrgPerson".utf8), Array("aspasiePerson".utf8)]
        }
        if extensible, let index = entry.attributes.firstIndex(where: { $0.description.type == "objectClass" }) {
            entry.attributes[index].values.append(Array("extensibleObject".utf8))
        }
        return entry
    }

    static func populate(_ store: DirectoryStore, count: Int, _ generator: inout SeededGenerator) throws {
        try store.add(domain())
        for name in units { try store.add(unit(name)) }
        for number in 0..<count { try store.add(randomPerson(number, &generator)) }
    }

    // MARK: Counters

    @Test("counters after random adds, deletes, modifies and renames equal a recount from a scan")
    func countersMatchRecount() throws {
        for seed in UInt64(1)...4 {
            try withTemporaryDataDirectory { directory in
                var generator = SeededGenerator(seed: seed)
                let store = try openStore(directory)
                try Self.populate(store, count: 40, &generator)
                var next = 40
                for step in 0..<150 {
                    let entries = try allEntries(store).values.filter { $0.values(of: "uid").count == 1 }
                    let target = entries.randomElement(using: &generator)
                    do {
                        switch Int.random(in: 0..<8, using: &generator) {
                        case 0:
                            try store.add(Self.randomPerson(next, &generator))
                            next += 1
                        case 1:
                            if let target { try store.delete(dn: target.dn) }
                        case 2:
                            if let target {
                                try store.modify(
                                    dn: target.dn,
                                    changes: [
                                        Modification(
                                            .replace, "aspasiePopulation",
                                            [Self.populations.randomElement(using: &generator)!])
                                    ])
                            }
                        case 3:
                            if let target {
                                try store.modify(
                                    dn: target.dn,
                                    changes: [
                                        Modification(
                                            .replace, "aspasieCodique",
                                            [Self.codiques.randomElement(using: &generator)!])
                                    ])
                            }
                        case 4:
                            if let target {
                                let has = target.objectClasses.contains("extensibleObject")
                                try store.modify(
                                    dn: target.dn,
                                    changes: [Modification(has ? .delete : .add, "objectClass", ["extensibleObject"])])
                            }
                        case 5:
                            if let target {
                                let has = target.objectClasses.contains("aspasieCorrespondent")
                                try store.modify(
                                    dn: target.dn,
                                    changes: has
                                        ? [
                                            Modification(.delete, "objectClass", ["aspasieCorrespondent"]),
                                            Modification(.delete, "aspasieTerritoryCodique"),
                                        ]
                                        : [
                                            Modification(.add, "objectClass", ["aspasieCorrespondent"]),
                                            Modification(.add, "aspasieTerritoryCodique", ["0750000"]),
                                        ])
                            }
                        case 6:
                            if let target {
                                try store.rename(
                                    dn: target.dn, newRDN: RelativeDistinguishedName(type: "uid", value: "r\(step)"),
                                    deleteOldRDN: true,
                                    newSuperior: try dn(Self.units.randomElement(using: &generator)!))
                            }
                        default:
                            // A write that fails half-way: a valid change, then a schema violation.
                            if let target {
                                _ = try? store.modify(
                                    dn: target.dn,
                                    changes: [
                                        Modification(.replace, "aspasiePopulation", ["SSLSPL"]),
                                        Modification(.delete, "sn"),
                                    ])
                            }
                        }
                    } catch {
                        Issue.record("seed \(seed) step \(step): \(error)")
                    }
                    if step % 25 == 0 { #expect(try store.counts() == store.recount(), "seed \(seed) step \(step)") }
                }
                let counts = try store.counts()
                #expect(counts == (try store.recount()), "seed \(seed)")
                #expect(counts.total == (try allEntries(store).count))
                #expect(counts.count(objectClass: "2.16.840.1.113730.3.2.2") > 0)
            }
        }
    }

    // MARK: Search

    static func randomValue(_ generator: inout SeededGenerator, _ pool: [String]) -> String {
        pool.randomElement(using: &generator)!
    }

    static func piece(_ generator: inout SeededGenerator, _ pool: [String]) -> String {
        let value = Array(randomValue(&generator, pool).lowercased())
        let length = Int.random(in: 1...min(5, value.count), using: &generator)
        let start = Int.random(in: 0...(value.count - length), using: &generator)
        return String(value[start..<(start + length)])
    }

    static func randomItem(_ generator: inout SeededGenerator) -> String {
        let names = first + last
        let cns = first.flatMap { given in last.map { "\(given) \($0)" } }
        switch Int.random(in: 0..<20, using: &generator) {
        case 0: return "(cn=\(randomValue(&generator, cns).uppercased()))"
        case 1: return "(sn=\(randomValue(&generator, last)))"
        case 2: return "(givenName~=\(randomValue(&generator, first)))"
        case 3: return "(uid=u\(Int.random(in: 0..<80, using: &generator)))"
        case 4: return "(aspasieIdentifier=u\(Int.random(in: 0..<80, using: &generator))-xt)"
        case 5:
            return
                "(objectClass=\(randomValue(&generator, ["person", "inetOrgPerson", "aspasiePerson", "organizationalUnit", "top", "domain", "extensibleObject", "2.5.6.6", "nosuchclass"])))"
        case 6: return "(aspasiePopulation=\(randomValue(&generator, populations).lowercased()))"
        case 7: return "(aspasieCodique=\(randomValue(&generator, codiques)))"
        case 8: return "(cn=\(piece(&generator, cns))*)"
        case 9: return "(cn=*\(piece(&generator, cns))*\(piece(&generator, names))*)"
        case 10: return "(sn=*\(piece(&generator, last)))"
        case 11:
            return
                "(aspasieCodique=\(randomValue(&generator, codiques).prefix(Int.random(in: 1...4, using: &generator)))*)"
        case 12: return "(description=*\(piece(&generator, descriptions))*)"
        case 13:
            return
                "(\(randomValue(&generator, ["cn", "description", "telephoneNumber", "objectClass", "pwdChangedTime", "nosuch", "cn;lang-fr", "name"]))=*)"
        case 14: return "(pwdChangedTime>=202403\(Int.random(in: 10...28, using: &generator))120000Z)"
        case 15: return "(pwdChangedTime<=202403\(Int.random(in: 10...28, using: &generator))120000Z)"
        case 16: return "(name=\(randomValue(&generator, cns)))"
        case 17: return "(cn:caseExactMatch:=\(randomValue(&generator, cns)))"
        case 18: return "(mail=*\(piece(&generator, ["u1@example.com", "u23@example.com"]))*)"
        default: return "(nosuch=x)"
        }
    }

    static func randomFilter(_ generator: inout SeededGenerator, depth: Int = 0) -> String {
        let choice = depth >= 3 ? 0 : Int.random(in: 0..<7, using: &generator)
        switch choice {
        case 0, 1, 2: return randomItem(&generator)
        case 3, 4:
            let children = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                randomFilter(&generator, depth: depth + 1)
            }
            return "(&" + children.joined() + ")"
        case 5:
            let children = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                randomFilter(&generator, depth: depth + 1)
            }
            return "(|" + children.joined() + ")"
        default: return "(!" + randomFilter(&generator, depth: depth + 1) + ")"
        }
    }

    @Test("indexed search returns what scope + filter on every entry returns, for random filters and every scope")
    func indexedEqualsUnindexed() throws {
        try withTemporaryDataDirectory { directory in
            var generator = SeededGenerator(seed: 7)
            let store = try openStore(directory)
            try Self.populate(store, count: 80, &generator)
            // Some churn, so indexes have seen deletes, modifies and renames.
            let u3 = try #require(try allEntries(store).values.first { $0.dn.rdn?.first.stringValue == "u3" })
            try store.delete(dn: u3.dn)
            let all = try allEntries(store)
            let context = try StoreSchema.context()
            let bases = [""] + ["dc=example,dc=com"] + Self.units + Array(all.values.prefix(5).map(\.dn.description))
            var indexedSearches = 0
            for round in 0..<400 {
                let text = Self.randomFilter(&generator)
                let filter = try Filter(string: text)
                let prepared = PreparedFilter(filter, context: context)
                let base = try dn(bases.randomElement(using: &generator)!)
                let scope = SearchRequest.Scope.all.randomElement(using: &generator)!
                let result = try store.search(base: base, scope: scope, filter: filter)
                let expected = Set(
                    all.filter { inScope($0.value.dn, base: base, scope: scope) && prepared.matches($0.value) }.keys)
                let got = Set(result.entries.map(\.id))
                #expect(got == expected, "round \(round): \(text) base '\(base)' scope \(scope) \(result.explanation)")
                #expect(result.entries.count == got.count)
                if result.explanation.candidateCount != nil { indexedSearches += 1 }
                if let count = result.explanation.candidateCount { #expect(count >= expected.count) }
            }
            #expect(indexedSearches > 100)
        }
    }

    @Test("size limit: at most that many entries, and the flag when more matched")
    func sizeLimit() throws {
        try withStore { store in
            for number in 0..<5 { try store.add(person("s\(number)")) }
            let limited = try store.search(
                base: suffix, scope: .wholeSubtree, filter: Filter(string: "(uid=s*)"), sizeLimit: 3)
            #expect(limited.entries.count == 3)
            #expect(limited.sizeLimitExceeded)
            let exact = try store.search(
                base: suffix, scope: .wholeSubtree, filter: Filter(string: "(uid=s*)"), sizeLimit: 5)
            #expect(exact.entries.count == 5)
            #expect(!exact.sizeLimitExceeded)
        }
    }

    @Test("one-level search of 10 children in a store of 10,000 entries reads about 10 entries")
    func oneLevelCostsWhatItReturns() throws {
        try withTemporaryDataDirectory { directory in
            let store = try openStore(directory, mapSize: 256 << 20)
            try store.add(domain())
            try store.add(unit("ou=people,dc=example,dc=com"))
            try store.add(unit("ou=small,dc=example,dc=com"))
            let entries = try (0..<9_987).map { try person("p\($0)") }
            for entry in entries { try store.add(entry) }
            for number in 0..<10 { try store.add(person("c\(number)", under: "ou=small,dc=example,dc=com")) }
            #expect(try store.counts().total == 10_000)

            let result = try store.search(
                base: dn("ou=small,dc=example,dc=com"), scope: .singleLevel, filter: Filter(string: "(objectClass=*)"))
            #expect(result.entries.count == 10)
            #expect(result.explanation.entriesExamined == 10)
            let indexed = try store.search(
                base: dn("ou=people,dc=example,dc=com"), scope: .singleLevel, filter: Filter(string: "(uid=p42)"))
            #expect(indexed.entries.count == 1)
            #expect(indexed.explanation.entriesExamined == 1)
            #expect(indexed.explanation.indexesUsed.contains { $0.hasPrefix("eq:0.9.2342.19200300.100.1.1") })
            let subtree = try store.search(
                base: suffix, scope: .wholeSubtree, filter: Filter(string: "(&(uid=c*)(sn=Martin))"))
            #expect(subtree.entries.count == 10)
            #expect(subtree.explanation.entriesExamined <= 20)
        }
    }

    @Test("a changed index configuration is used only after reindex(), which rebuilds indexes and counters")
    func reindex() throws {
        try withTemporaryDataDirectory { directory in
            do {
                let store = try openStore(directory, indexes: IndexConfiguration(indexes: ["objectClass": .equality]))
                try store.add(domain())
                try store.add(unit("ou=people,dc=example,dc=com"))
                for number in 0..<20 {
                    try store.add(person("r\(number)", extra: [("description", ["d\(number % 3)"])]))
                }
                let unindexed = try store.search(
                    base: suffix, scope: .wholeSubtree, filter: Filter(string: "(description=d1)"))
                #expect(unindexed.explanation.candidateCount == nil)
                #expect(unindexed.entries.count == 7)
            }
            var configuration = IndexConfiguration.partnerDirectory
            configuration.indexes["description"] = [.equality, .presence]
            let store = try openStore(directory, indexes: configuration)
            #expect(store.isReindexPending)
            let before = try store.search(
                base: suffix, scope: .wholeSubtree, filter: Filter(string: "(description=d1)"))
            #expect(before.explanation.candidateCount == nil)
            #expect(before.entries.count == 7)
            try store.reindex()
            #expect(!store.isReindexPending)
            let after = try store.search(base: suffix, scope: .wholeSubtree, filter: Filter(string: "(description=d1)"))
            #expect(after.explanation.candidateCount == 7)
            #expect(after.entries.count == 7)
            let present = try store.search(
                base: suffix, scope: .wholeSubtree, filter: Filter(string: "(description=*)"))
            #expect(present.explanation.candidateCount == 20)
            #expect(try store.counts() == store.recount())
            #expect(try store.counts().count(objectClass: "2.5.6.6") == 20)
        }
    }
}

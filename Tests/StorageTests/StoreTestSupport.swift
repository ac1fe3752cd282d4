import Foundation
import LDAPProtocol
import Schema

@testable import Storage

/// The shipped schema, loaded once.
enum StoreSchema {
    static let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schema").path
    private static let built = Result { () throws -> SchemaContext in
        SchemaContext(schema: try Schema(directory: directory))
    }

    static func context() throws -> SchemaContext { try built.get() }
}

/// The naming context of the tests.
let suffix = try! DistinguishedName("dc=example,dc=com")

func dn(_ text: String) throws -> DistinguishedName {
    try DistinguishedName(text)
}

func makeEntry(_ text: String, _ attributes: [(String, [String])]) throws -> Entry {
    Entry(dn: try DistinguishedName(text), attributes: attributes.map { EntryAttribute($0.0, $0.1) })
}

/// Opens a store in `directory` with the shipped schema and `suffix` as naming context.
func openStore(
    _ directory: String,
    indexes: IndexConfiguration = .partnerDirectory,
    mapSize: Int = 64 << 20
) throws -> DirectoryStore {
    // No fsync at commit: the tests check what a transaction holds, not durability (and add 10,000 entries).
    var configuration = testConfiguration(mapSize: mapSize, maxMapSize: 1 << 30)
    configuration.durability = .noSync
    let environment = try LMDBEnvironment(directory: directory, configuration: configuration)
    return try DirectoryStore(
        environment: environment, context: try StoreSchema.context(), namingContexts: [suffix], indexes: indexes)
}

/// A store holding the suffix entry and `ou=people`.
func withStore<T>(indexes: IndexConfiguration = .partnerDirectory, _ body: (DirectoryStore) throws -> T) throws -> T {
    try withTemporaryDataDirectory { directory in
        let store = try openStore(directory, indexes: indexes)
        try store.add(domain())
        try store.add(unit("ou=people,dc=example,dc=com"))
        return try body(store)
    }
}

func domain() throws -> Entry {
    try makeEntry("dc=example,dc=com", [("objectClass", ["top", "domain"]), ("dc", ["example"])])
}

func unit(_ text: String) throws -> Entry {
    let name = try DistinguishedName(text)
    let value = name.rdn?.first.stringValue ?? "x"
    return try makeEntry(text, [("objectClass", ["top", "organizationalUnit"]), ("ou", [value])])
}

/// A partner-directory person: inetOrgPerson and aspasiePerson.
func person(
    _ uid: String,
    under parent: String = "ou=people,dc=example,dc=com",
    cn: String? = nil,
    sn: String = "Martin",
    population: String = "SSLEPN",
    codique: String = "0750100",
    extra: [(String, [String])] = []
) throws -> Entry {
    try makeEntry(
        "uid=\(uid),\(parent)",
        [
            ("objectClass", ["top", "person", "organizationalPerson", "inetOrgPerson", "aspasiePerson"]),
            ("uid", [uid]), ("cn", [cn ?? "Person \(uid)"]), ("sn", [sn]), ("aspasieIdentifier", [uid + "-xt"]),
            ("aspasieCivility", ["Mme"]), ("aspasiePopulation", [population]), ("aspasieCodique", [codique]),
            ("mail", ["\(uid)@example.com"]),
        ] + extra)
}

/// A small deterministic random generator (SplitMix64), so property tests print a reproducible seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SearchRequest.Scope {
    static let all: [SearchRequest.Scope] = [.baseObject, .singleLevel, .wholeSubtree, .subordinateSubtree]
}

/// Whether `candidate` is in `scope` of `base` (the reference, from DNs alone; DNs in tests are spelled alike).
func inScope(_ candidate: DistinguishedName, base: DistinguishedName, scope: SearchRequest.Scope) -> Bool {
    switch scope {
    case .baseObject: return candidate == base
    case .singleLevel: return candidate.isChild(of: base)
    case .wholeSubtree: return candidate.isDescendant(of: base, includingSelf: true)
    case .subordinateSubtree: return candidate.isDescendant(of: base)
    }
}

/// Every entry of the store, by a full scan of `entries` (the reference for counters and searches).
func allEntries(_ store: DirectoryStore) throws -> [EntryID: Entry] {
    try store.environment.read { transaction in
        var result: [EntryID: Entry] = [:]
        try transaction.forEach(in: store.entries) { stored in
            result[EntryID(bytes: stored.key)!] = try EntryCoder.decode(stored.value)
            return true
        }
        return result
    }
}

/// The number of key/value pairs in every database of the store: a fingerprint that a failed write must leave
/// unchanged.
func databaseFingerprint(_ store: DirectoryStore) throws -> [String: Int] {
    var databases = store.indexDatabases
    for database in [
        store.entries, store.meta, store.tree.dn2id, store.tree.children, store.tree.parents,
        store.counterBook.database,
    ] {
        databases[database.name] = database
    }
    return try store.environment.read { transaction in
        var result: [String: Int] = [:]
        for (name, database) in databases { result[name] = try transaction.statistics(database).entries }
        return result
    }
}

import DemoData
import LDAPProtocol

/// A generated directory read back with `LDIFReader`, shared by the tests.
struct GeneratedDirectory: Sendable {
    let bytes: [UInt8]
    let chunks: [Int]
    let entries: [LDIFEntry]
    let credentials: [CredentialLine]
    let summary: DemoDataSummary

    init(options: DemoDataOptions) throws {
        var bytes: [UInt8] = []
        var chunks: [Int] = []
        var lines: [CredentialLine] = []
        let generator = try DemoDataGenerator(options: options)
        summary = try generator.generate(
            ldif: { chunk in
                bytes += chunk
                chunks.append(chunk.count)
            },
            credentials: { lines.append($0) }
        )
        var reader = LDIFReader(bytes: bytes)
        var entries: [LDIFEntry] = []
        while let record = try reader.next() {
            guard case .content(let entry) = record else {
                throw GeneratedDirectoryError.notContent(record.dn)
            }
            entries.append(entry)
        }
        self.bytes = bytes
        self.chunks = chunks
        self.entries = entries
        self.credentials = lines
    }

    /// 2,000 people, seed 42, `{SSHA}`.
    static let standard: Result<GeneratedDirectory, any Error> = Result {
        try GeneratedDirectory(options: DemoDataOptions(people: 2_000, seed: 42))
    }

    func entries(withClass objectClass: String) -> [LDIFEntry] {
        entries.filter { $0.classes.contains(objectClass.lowercased()) }
    }
}

enum GeneratedDirectoryError: Error {
    case notContent(String)
}

extension LDIFEntry {
    /// The string values of an attribute, `[]` when absent.
    func strings(_ description: String) -> [String] {
        self[description]?.values.map { String(decoding: $0, as: UTF8.self) } ?? []
    }

    /// The single string value of an attribute, `""` when absent.
    func string(_ description: String) -> String {
        strings(description).first ?? ""
    }

    /// The object classes, lower-cased.
    var classes: [String] {
        strings("objectClass").map { $0.lowercased() }
    }
}

/// Every record of `bytes`.
func readRecords(_ bytes: [UInt8]) throws -> [LDIFRecord] {
    var reader = LDIFReader(bytes: bytes)
    return try reader.readAll()
}

/// Every content record of `bytes`.
func readEntries(_ bytes: [UInt8]) throws -> [LDIFEntry] {
    try readRecords(bytes).compactMap { record in
        if case .content(let entry) = record { return entry }
        return nil
    }
}

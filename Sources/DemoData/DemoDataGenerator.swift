import LDAPProtocol

/// Generates a realistic partner directory as LDIF (`annuaire demo-data`).
///
/// The tree, in the order written (every parent before its children):
/// - the suffix entry (`dcObject` + `organization` for a `dc=` suffix), `ou=people`, `ou=structures`, `ou=admins`;
/// - the service accounts `uid=monitor` and `uid=portal` under `ou=admins`;
/// - blocks of at most ``blockSize`` people under `ou=people`, each followed by its structures under
///   `ou=structures` (about one per 8 people), which name people already written;
/// - the correspondents of the départements present in the data, under `ou=admins`.
///
/// Each block lies in one département, so memory stays bounded whatever the number of people: only one block,
/// the counters of ``IdentityRegistry`` and the list of départements seen are kept.
///
/// One seed gives the same bytes on every run: every draw comes from a ``SeededGenerator``, the salts of
/// `{SSHA}` from a second one, so changing the password scheme changes nothing but the `userPassword` values.
public struct DemoDataGenerator: Sendable {
    /// The most people generated, and kept in memory, at once.
    static let blockSize = 64
    /// The size at which LDIF bytes are handed to the sink.
    static let flushSize = 64 * 1024
    /// The domain of DGFiP staff mail addresses.
    static let staffDomain = "dgfip.finances.gouv.fr"

    /// The options.
    public let options: DemoDataOptions
    private let suffix: String
    private let suffixEntry: LDIFEntry

    /// Checks the options.
    ///
    /// - Throws: ``DemoDataError`` for a negative count or a suffix that is not a DN the generator can root a
    ///   tree at.
    public init(options: DemoDataOptions) throws(DemoDataError) {
        guard options.people >= 0 else { throw .negativePeopleCount(options.people) }
        let dn: DistinguishedName
        do {
            dn = try DistinguishedName(options.suffix)
        } catch {
            throw .invalidSuffix(options.suffix, reason: "\(error)")
        }
        guard let rdn = dn.rdns.first, !rdn.isMultiValued, let value = rdn.first.stringValue else {
            throw .unsupportedSuffix(options.suffix)
        }
        let first = rdn.first
        let suffix = dn.description
        let classes: [String]
        var attributes: [LDIFAttribute]
        switch first.type.lowercased() {
        case "dc":
            classes = ["top", "dcObject", "organization"]
            attributes = [LDIFAttribute(description: "dc", stringValues: [value])]
            attributes.append(LDIFAttribute(description: "o", stringValues: [options.organizationName]))
        case "o":
            classes = ["top", "organization"]
            attributes = [LDIFAttribute(description: "o", stringValues: [value])]
        case "ou":
            classes = ["top", "organizationalUnit"]
            attributes = [LDIFAttribute(description: "ou", stringValues: [value])]
        default:
            throw .unsupportedSuffix(options.suffix)
        }
        self.options = options
        self.suffix = suffix
        self.suffixEntry = LDIFEntry(
            dn: suffix,
            attributes: [LDIFAttribute(description: "objectClass", stringValues: classes)] + attributes
        )
    }

    /// Generates the directory.
    ///
    /// - Parameters:
    ///   - ldif: receives the LDIF in chunks of about 64 KiB, in order; their concatenation is the file.
    ///   - credentials: receives one line per account, in the order the entries are written; `nil` skips them.
    /// - Returns: the counts of what was written.
    /// - Throws: whatever a sink throws, which stops the generation.
    public func generate(
        ldif: ([UInt8]) throws -> Void,
        credentials: ((CredentialLine) throws -> Void)? = nil
    ) throws -> DemoDataSummary {
        try withoutActuallyEscaping(ldif) { ldif in
            var run = GenerationRun(options: options, suffix: suffix, ldifSink: ldif, credentialsSink: credentials)
            try run.write(suffixEntry)
            try run.writeSkeleton()
            var remaining = options.people
            while remaining > 0 {
                let count = min(remaining, Self.blockSize)
                try run.writeBlock(people: count)
                remaining -= count
            }
            try run.writeCorrespondents()
            try run.flush()
            return run.summary
        }
    }

    /// The whole LDIF and credential lines in memory: for tests and small directories.
    public func generateInMemory() throws -> (ldif: [UInt8], credentials: [CredentialLine], summary: DemoDataSummary) {
        var bytes: [UInt8] = []
        var lines: [CredentialLine] = []
        let summary = try generate(ldif: { bytes += $0 }, credentials: { lines.append($0) })
        return (bytes, lines, summary)
    }
}

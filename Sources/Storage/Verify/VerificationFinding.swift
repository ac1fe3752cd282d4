/// One inconsistency found by ``StoreVerifier``: what is wrong, in which database, under which key, and the entry
/// concerned when there is one.
package struct VerificationFinding: Hashable, Sendable, CustomStringConvertible {
    /// What is wrong. The raw value is the name `annuaire verify` prints.
    package enum Kind: String, CaseIterable, Comparable, Hashable, Sendable {
        /// An `entries` value that does not decode (damaged bytes, or a format this release cannot read).
        case undecodableEntry = "undecodable-entry"
        /// A key or value of the wrong shape (an id that is not 8 bytes, a count that is not 8 bytes…).
        case malformedRecord = "malformed-record"
        /// An entry whose DN the schema refuses (a value invalid for its type, a key over LMDB's limit).
        case invalidDN = "invalid-dn"
        /// An entry whose normalised DN is not a key of `dn2id`.
        case missingDN = "missing-dn"
        /// A `dn2id` key that names an entry other than the one it maps to.
        case dnMismatch = "dn-mismatch"
        /// A `dn2id` key that maps to an id without an entry.
        case danglingDN = "dangling-dn"
        /// An entry whose parent entry does not exist, or whose DN is under no naming context.
        case orphan
        /// An entry without a `parents` record.
        case missingParentRecord = "missing-parent-record"
        /// A `parents` record that disagrees with the parent the entry's DN names.
        case parentMismatch = "parent-mismatch"
        /// A `parents` record of an id without an entry.
        case danglingParentRecord = "dangling-parent-record"
        /// An entry not listed among its parent's `children`.
        case missingChild = "missing-child"
        /// A `children` pair whose child does not exist or has another parent.
        case danglingChild = "dangling-child"
        /// An entry whose `parents` chain comes back to it (or never reaches the root).
        case cycle
        /// An index key an entry produces that the index database lacks.
        case missingIndexKey = "missing-index-key"
        /// An index key/id pair no entry produces (the id has no entry, or its entry lacks the value).
        case danglingIndexKey = "dangling-index-key"
        /// An index database the recorded configuration needs that the file lacks.
        case missingIndexDatabase = "missing-index-database"
        /// A stored counter that differs from the count of the entries.
        case counterDrift = "counter-drift"
        /// A `meta` record that disagrees with the data (an entry id at or above `nextID`).
        case badMeta = "bad-meta"

        package static func < (lhs: Kind, rhs: Kind) -> Bool {
            let order = Kind.allCases
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// What is wrong.
    package var kind: Kind
    /// The database the record is (or should be) in: `entries`, `dn2id`, `eq:2.5.4.3`…
    package var database: String
    /// The key, printable: `#N` for an id, text with `\xNN` escapes, or hex.
    package var key: String
    /// The entry concerned, when known.
    package var id: EntryID?
    /// The DN of that entry, when it could be read.
    package var dn: String?
    /// A sentence saying what was expected and what was found.
    package var detail: String

    /// Makes a finding.
    package init(
        _ kind: Kind, database: String, key: String, id: EntryID? = nil, dn: String? = nil, detail: String
    ) {
        self.kind = kind
        self.database = database
        self.key = key
        self.id = id
        self.dn = dn
        self.detail = detail
    }

    /// `kind database key entry #N 'dn': detail`, on one line.
    package var description: String {
        var text = "\(kind.rawValue) \(database) key \(key)"
        if let id { text += " entry \(id)" }
        if let dn { text += " '\(dn)'" }
        return text + ": " + detail
    }
}

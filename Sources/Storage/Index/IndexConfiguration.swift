/// Which attribute types are indexed, and how; and which attributes have per-value counters.
///
/// Configuring a type also indexes its subtypes (`uid` covers `aspasieIdentifier`, `aspasieStructureMember` its
/// three roles), so that a filter on the supertype, which reads the subtypes too, can use the index. A filter
/// item uses an index only when the type and every subtype of it carry the kind asked for.
///
/// The configuration a store was last (re)indexed with is recorded in its `meta` database; opening a store with
/// another one keeps using the recorded one until ``DirectoryStore/reindex()`` builds the new one.
package struct IndexConfiguration: Hashable, Sendable {
    /// Attribute type name or OID → the kinds kept for it (and its subtypes).
    package var indexes: [String: IndexKinds]
    /// Attribute types (names or OIDs) whose values are counted (`count:<oid>:<value>`).
    package var countedAttributes: [String]

    /// Makes a configuration.
    package init(indexes: [String: IndexKinds] = [:], countedAttributes: [String] = []) {
        self.indexes = indexes
        self.countedAttributes = countedAttributes
    }

    /// The partner directory's defaults: the attributes its applications search on.
    ///
    /// - `objectClass` eq; `uid` (and `aspasieIdentifier`), `mail`, `cn`, `sn` eq and sub; `givenName` eq;
    /// - `aspasieCodique` eq and sub (territory searches use the codique's prefix), `aspasieTerritoryCodique`,
    ///   `aspasiePopulation` eq; `aspasieSiret` eq and sub (all establishments of a SIREN by prefix);
    /// - the DN-valued links `member`, `uniqueMember`, `manager`, `aspasieStructureMember` (its three roles),
    ///   `aspasiePendingAttachment` eq (referential integrity and "which structures is this person in");
    /// - `entryUUID` eq; `pwdChangedTime` ord (the password-expiry sweep asks `(pwdChangedTime<=t)`).
    ///
    /// Counters per value of `aspasiePopulation` and `aspasieCodique`.
    package static let partnerDirectory = IndexConfiguration(
        indexes: [
            "objectClass": .equality,
            "uid": [.equality, .substring],
            "mail": [.equality, .substring],
            "cn": [.equality, .substring],
            "sn": [.equality, .substring],
            "givenName": .equality,
            "aspasieCodique": [.equality, .substring],
            "aspasieTerritoryCodique": .equality,
            "aspasiePopulation": .equality,
            "aspasieSiret": [.equality, .substring],
            "member": .equality,
            "uniqueMember": .equality,
            "manager": .equality,
            "aspasieStructureMember": .equality,
            "aspasiePendingAttachment": .equality,
            "entryUUID": .equality,
            "pwdChangedTime": .ordering,
        ],
        countedAttributes: ["aspasiePopulation", "aspasieCodique"]
    )
}

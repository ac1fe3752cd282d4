/// One line of the index configuration: an attribute and the kinds of index kept for it.
struct IndexedAttribute: Hashable, Sendable {
    /// The attribute type, as configured (a name or a numeric OID).
    var attribute: String
    /// The kinds of index; never empty in an effective configuration (an empty list removes the attribute).
    var kinds: Set<IndexKind>

    /// The kinds in their canonical order (`eq`, `pres`, `sub`, `ord`).
    var sortedKinds: [IndexKind] { kinds.sorted() }
}

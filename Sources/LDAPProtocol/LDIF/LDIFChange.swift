/// The `changetype:` of a change record with what it carries.
public enum LDIFChange: Hashable, Sendable {
    /// `changetype: add`: a new entry with these attributes (at least one).
    case add([LDIFAttribute])
    /// `changetype: delete`.
    case delete
    /// `changetype: modify`: modifications applied in order.
    case modify([LDIFModification])
    /// `changetype: modrdn` or `moddn` (equivalent; the writer writes `modrdn`).
    case modifyDN(newRDN: String, deleteOldRDN: Bool, newSuperior: String?)
}

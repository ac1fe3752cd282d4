/// One record of an LDIF file (RFC 2849): an entry's content, or a change to apply.
///
/// RFC 2849 §2 says a file holds either content records or change records, never both;
/// ``LDIFReader`` enforces this unless ``LDIFReader/Options/allowsMixedRecords`` is set.
public enum LDIFRecord: Hashable, Sendable {
    /// An entry: a `dn:` line followed by attribute values (`ldif-attrval-record`).
    case content(LDIFEntry)
    /// A change: a `dn:` line, optional `control:` lines and a `changetype:` (`ldif-change-record`).
    case change(LDIFChangeRecord)

    /// The distinguished name the record is about.
    public var dn: String {
        switch self {
        case .content(let entry): return entry.dn
        case .change(let change): return change.dn
        }
    }
}

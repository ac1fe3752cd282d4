import Schema

/// What a check is about, on one entry: the entry itself, the place below it, or one attribute type.
public enum AccessAttribute: Sendable {
    /// The entry as a whole (`entry` in `attrs=`): seeing, returning, adding, deleting, renaming it.
    case entry
    /// The entries below it (`children` in `attrs=`): adding, deleting or moving an entry under this one.
    case children
    /// An attribute type (its subtypes are checked as themselves, and listed types include their subtypes).
    case type(CompiledAttributeType)
}

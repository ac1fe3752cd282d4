/// An entry as an LDIF content record: its distinguished name and its attributes in file order.
public struct LDIFEntry: Hashable, Sendable {
    /// The entry's distinguished name, as written (not normalized).
    public var dn: String
    /// The attributes, in the order of their first appearance; values of one attribute description
    /// (compared case-insensitively) are gathered into one ``LDIFAttribute`` even when not contiguous.
    public var attributes: [LDIFAttribute]

    /// Creates an entry.
    public init(dn: String, attributes: [LDIFAttribute]) {
        self.dn = dn
        self.attributes = attributes
    }

    /// The values of the attribute whose description equals `description` (case-insensitively), or `nil`.
    public subscript(description: String) -> LDIFAttribute? {
        let key = LDIFSyntax.lowercased(description)
        return attributes.first { LDIFSyntax.lowercased($0.description) == key }
    }
}

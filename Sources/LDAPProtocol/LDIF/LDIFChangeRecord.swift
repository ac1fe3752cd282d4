/// A change record: what to do to the entry named by `dn`, with the controls to send along.
public struct LDIFChangeRecord: Hashable, Sendable {
    /// The distinguished name of the entry to change, as written.
    public var dn: String
    /// The `control:` lines, in file order.
    public var controls: [LDIFControl]
    /// The change itself.
    public var change: LDIFChange

    /// Creates a change record.
    public init(dn: String, controls: [LDIFControl] = [], change: LDIFChange) {
        self.dn = dn
        self.controls = controls
        self.change = change
    }
}

/// A `control:` line of a change record: `control: OID [true|false] [: value | :: base64]`.
public struct LDIFControl: Hashable, Sendable {
    /// The control type, a numeric OID such as `1.2.840.113556.1.4.805`.
    public var oid: String
    /// The criticality; `false` when the line does not say.
    public var criticality: Bool
    /// The control value, or `nil` when the line has none.
    public var value: [UInt8]?

    /// Creates a control.
    public init(oid: String, criticality: Bool = false, value: [UInt8]? = nil) {
        self.oid = oid
        self.criticality = criticality
        self.value = value
    }
}

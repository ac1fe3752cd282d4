/// A relative distinguished name: a non-empty set of attribute type and value assertions,
/// written `cn=a` or, multi-valued, `cn=a+sn=b` (RFC 4514 §3).
///
/// The assertions are kept in the order written; ``DistinguishedName/normalized()`` sorts them so
/// that `cn=a+sn=b` and `sn=b+cn=a` compare equal once normalised.
public struct RelativeDistinguishedName: Hashable, Sendable {
    /// The assertions, never empty, in the order written.
    public private(set) var attributes: [AttributeTypeAndValue]

    /// Creates a single-valued RDN.
    public init(_ attribute: AttributeTypeAndValue) {
        self.attributes = [attribute]
    }

    /// Creates a single-valued RDN with a string value, e.g. `RelativeDistinguishedName(type: "cn", value: "Babs")`.
    public init(type: String, value: String) {
        self.init(AttributeTypeAndValue(type: type, value: value))
    }

    /// Creates a multi-valued RDN; `nil` when `attributes` is empty, since an RDN has at least one.
    public init?(attributes: [AttributeTypeAndValue]) {
        guard !attributes.isEmpty else { return nil }
        self.attributes = attributes
    }

    /// The first assertion (the only one of a single-valued RDN).
    public var first: AttributeTypeAndValue {
        self.attributes[0]
    }

    /// Whether the RDN holds more than one assertion (`cn=a+sn=b`).
    public var isMultiValued: Bool {
        self.attributes.count > 1
    }
}

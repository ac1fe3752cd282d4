/// One `attributeType=value` assertion of a relative distinguished name (RFC 4514 §3).
///
/// The type is kept as written (a descriptor such as `cn` or a numeric OID such as `2.5.4.3`);
/// the value is kept as bytes. A value written in the `#hex` form is the BER encoding of the
/// value; its raw BER bytes are kept and ``isHexForm`` remembers the form so that printing
/// gives `#hex` back.
public struct AttributeTypeAndValue: Hashable, Sendable {
    /// The attribute type: a descriptor (`cn`) or a numeric OID (`2.5.4.3`), as written.
    public var type: String
    /// The value: UTF-8 bytes of a string value, or the raw BER bytes when ``isHexForm`` is set.
    public var value: [UInt8]
    /// Whether ``value`` holds the BER encoding given in the `#hex` form of RFC 4514 §2.4.
    public var isHexForm: Bool

    /// Creates an assertion from its parts. The type is not validated here; the parser validates
    /// what it reads, and a type that is neither a descriptor nor a numeric OID prints as is.
    public init(type: String, value: [UInt8], isHexForm: Bool = false) {
        self.type = type
        self.value = value
        self.isHexForm = isHexForm
    }

    /// Creates an assertion with a string value.
    public init(type: String, value: String) {
        self.init(type: type, value: Array(value.utf8), isHexForm: false)
    }

    /// The value as a string when it is a string value holding valid UTF-8; `nil` for `#hex`
    /// values and for bytes that are not UTF-8.
    public var stringValue: String? {
        guard !self.isHexForm else { return nil }
        return String(validating: self.value, as: UTF8.self)
    }
}

import LDAPProtocol

/// Why an entry breaks the schema: the LDAP result code to return (RFC 4511 §4.1.9) and an English diagnostic
/// message naming the attribute, class or value at fault, e.g.
/// `objectClassViolation: object class 'inetOrgPerson' requires attribute 'sn'` (``description``).
public struct EntryViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// The result code: objectClassViolation, undefinedAttributeType, invalidAttributeSyntax,
    /// constraintViolation, attributeOrValueExists or namingViolation.
    public var resultCode: ResultCode
    /// The diagnostic message, without the result code (what goes into an LDAPResult's `diagnosticMessage`).
    public var message: String
    /// The attribute description at fault, as the entry spells it, when one is.
    public var attribute: String?
    /// The position (from 0) of the value at fault in its attribute, when one is.
    public var valueIndex: Int?

    /// Creates a violation.
    public init(_ resultCode: ResultCode, _ message: String, attribute: String? = nil, valueIndex: Int? = nil) {
        self.resultCode = resultCode
        self.message = message
        self.attribute = attribute
        self.valueIndex = valueIndex
    }

    /// `resultCodeName: message`.
    public var description: String { "\(resultCode): \(message)" }
}

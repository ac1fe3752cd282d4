/// An LDAP attribute syntax (RFC 4512 §4.1.5, RFC 4517 §3): the set of values an attribute of
/// that syntax may hold, identified by an OID.
///
/// The built-in syntaxes are static members (``directoryString``, ``generalizedTime``, …) and
/// are found by OID through ``SyntaxRegistry``.
public struct AttributeSyntax: Sendable, CustomStringConvertible {
    /// The syntax's OID, e.g. `1.3.6.1.4.1.1466.115.121.1.15`.
    public let oid: String
    /// The syntax's description, e.g. `Directory String`.
    public let description: String
    /// Whether values are text a person can read (false for binary syntaxes such as JPEG and
    /// certificates, which RFC 4517 marks `X-NOT-HUMAN-READABLE`).
    public let isHumanReadable: Bool
    let check: SyntaxCheck

    init(oid: String, description: String, isHumanReadable: Bool = true, check: SyntaxCheck) {
        self.oid = oid
        self.description = description
        self.isHumanReadable = isHumanReadable
        self.check = check
    }

    /// Creates a syntax whose values `check` validates, returning the reason a value is invalid
    /// (or `nil` when it is valid); with no `check`, every value is accepted (for syntaxes a
    /// schema names that have no built-in definition).
    public init(
        oid: String,
        description: String,
        isHumanReadable: Bool = true,
        check: (@Sendable ([UInt8]) -> String?)? = nil
    ) {
        self.init(
            oid: oid, description: description, isHumanReadable: isHumanReadable,
            check: check.map { SyntaxCheck.custom($0) } ?? .anyOctets)
    }

    /// Checks `value` (its LDAP-specific encoding) against the syntax; `nil` when it is valid.
    public func validate(_ value: [UInt8]) -> SyntaxViolation? {
        guard let reason = self.check.violation(in: value) else { return nil }
        return SyntaxViolation(syntaxOID: self.oid, syntaxName: self.description, reason: reason)
    }

    /// Checks the UTF-8 bytes of `value` against the syntax; `nil` when it is valid.
    public func validate(_ value: String) -> SyntaxViolation? {
        self.validate(Array(value.utf8))
    }

    /// Whether `value` is valid for the syntax.
    public func isValid(_ value: [UInt8]) -> Bool {
        self.check.violation(in: value) == nil
    }
}

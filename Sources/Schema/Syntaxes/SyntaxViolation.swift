/// Why a value is not valid for an attribute syntax, e.g.
/// `not a valid Generalized Time: month 13`.
public struct SyntaxViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// The OID of the syntax the value was checked against.
    public var syntaxOID: String
    /// The syntax's description, e.g. `Generalized Time`.
    public var syntaxName: String
    /// What is wrong with the value, e.g. `month 13`.
    public var reason: String

    /// Creates a violation of the syntax `syntaxOID` named `syntaxName`.
    public init(syntaxOID: String, syntaxName: String, reason: String) {
        self.syntaxOID = syntaxOID
        self.syntaxName = syntaxName
        self.reason = reason
    }

    /// A sentence suitable for an LDAP diagnostic message (invalidAttributeSyntax).
    public var description: String {
        "not a valid \(self.syntaxName): \(self.reason)"
    }
}

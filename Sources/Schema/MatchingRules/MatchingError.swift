/// Why a value or an assertion could not be normalised by a matching rule; a filter item
/// whose assertion fails this way evaluates to Undefined (RFC 4511 §4.5.1.7).
public struct MatchingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The name of the rule, e.g. `integerMatch`.
    public var rule: String
    /// What is wrong with the value, e.g. `leading zero`.
    public var reason: String

    /// Creates an error of `rule` for `reason`.
    public init(rule: String, reason: String) {
        self.rule = rule
        self.reason = reason
    }

    /// A sentence suitable for an LDAP diagnostic message.
    public var description: String {
        "value not valid for \(self.rule): \(self.reason)"
    }
}

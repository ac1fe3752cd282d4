/// Matching rules by OID and by name (names compared without regard to ASCII case), as a
/// schema's `EQUALITY`, `ORDERING` and `SUBSTR` clauses name them.
public struct MatchingRuleRegistry: Sendable {
    private var rules: [MatchingRule]
    private var index: [String: Int]

    /// A registry holding `rules`; a later rule with the same OID replaces an earlier one.
    public init(_ rules: [MatchingRule]) {
        self.rules = []
        self.index = [:]
        for rule in rules {
            self.register(rule)
        }
    }

    /// The built-in rules (RFC 4517, RFC 4530), with DN components normalised as caseIgnoreMatch.
    public static let builtIn = MatchingRuleRegistry(MatchingRule.builtIns)

    /// The rule named `nameOrOID` (`caseIgnoreMatch`, `CASEIGNOREMATCH`, `2.5.13.2`).
    public subscript(_ nameOrOID: String) -> MatchingRule? {
        self.index[Self.key(nameOrOID)].map { self.rules[$0] }
    }

    /// Adds `rule`, replacing the rule with the same OID and taking over its names.
    public mutating func register(_ rule: MatchingRule) {
        let position: Int
        if let existing = self.index[rule.oid] {
            for name in self.rules[existing].names {
                self.index[Self.key(name)] = nil
            }
            self.rules[existing] = rule
            position = existing
        } else {
            self.rules.append(rule)
            position = self.rules.count - 1
        }
        self.index[rule.oid] = position
        for name in rule.names {
            self.index[Self.key(name)] = position
        }
    }

    /// This registry with distinguishedNameMatch and uniqueMemberMatch normalising DN
    /// components with `normalizer` (built from the attribute-type registry once it exists).
    public func withDNNormalizer(_ normalizer: SchemaDNNormalizer) -> MatchingRuleRegistry {
        var copy = self
        copy.register(.distinguishedNameMatch(normalizer: normalizer))
        copy.register(.uniqueMemberMatch(normalizer: normalizer))
        return copy
    }

    /// Every rule, in registration order.
    public var all: [MatchingRule] {
        self.rules
    }

    private static func key(_ nameOrOID: String) -> String {
        SchemaDNNormalizer.lowercasedASCII(nameOrOID.trimmingSpaces)
    }
}

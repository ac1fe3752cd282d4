/// The rules of the partner directory (domain.md) that the server checks on every write, each named in the
/// diagnostic message of a refusal so that an operator can look it up (docs/domain-rules.md).
package enum DomainRule: String, Sendable, CaseIterable {
    /// D1: a sign-in identifier ends in `-xt` (external users) or is the local part of the entry's mail (DGFiP
    /// staff), and is unique.
    case identifier = "D1"
    /// D2: population and codique of a person (and codiques of structures and correspondents).
    case personFields = "D2"
    /// D3: a syntactically valid, unique, nominative (not generic) e-mail address.
    case mail = "D3"
    /// D4: a mobile number in E.164 or French national form, stored in E.164.
    case mobile = "D4"
    /// D9: a SIRET of 14 digits with a valid Luhn key, unique.
    case siret = "D9"
    /// D10: a structure's managers are people of the directory.
    case managers = "D10"
    /// D11: the people attached to a structure, or asking to be, are people of the directory.
    case attachments = "D11"
    /// D12: a structure always has its principal manager.
    case handover = "D12"
}

/// Why a value breaks a rule: the rule, the attribute, and a message in English that starts with the rule's
/// number ("D3: …"), sent to the client as the diagnostic message.
package struct DomainRuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule broken.
    package var rule: DomainRule
    /// The attribute type whose value breaks it.
    package var attribute: String
    /// The whole diagnostic message, rule number first.
    package var message: String

    /// A violation of `rule` by `attribute`; `detail` follows the rule number in the message.
    package init(_ rule: DomainRule, _ attribute: String, _ detail: String) {
        self.rule = rule
        self.attribute = attribute
        self.message = "\(rule.rawValue): \(detail)"
    }

    package var description: String { message }
}

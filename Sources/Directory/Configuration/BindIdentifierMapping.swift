import LDAPProtocol
import NIOCore

/// How a Bind whose name is a bare sign-in identifier (`jdupont-xt`, `jean.dupont`) rather than a DN finds its
/// entry (domain.md D1: the portal's login form asks for the identifier only).
///
/// A bind name is read as an identifier when the mapping has lookups and the name contains no `=` (every DN
/// of at least one RDN has one), no space or control character (so `this is not a DN` stays a DN syntax error,
/// as slapd answers), is valid UTF-8 and at most ``maximumLength`` bytes. Anything else is parsed as a DN, as
/// before. The lookups all run, in order; the first that finds any entry decides: exactly one entry is bound
/// as if its DN had been sent, several are ambiguous and fail like a wrong password (D8).
package struct BindIdentifierMapping: Sendable, Hashable {
    /// One way to turn an identifier into entries, through an equality index.
    package enum Lookup: Sendable, Hashable {
        /// Entries with a value of the attribute type (or a subtype: `uid` also reads `aspasieIdentifier`)
        /// equal to the identifier: `(uid=<identifier>)`.
        case attribute(String)
        /// Entries whose `mail` local part equals the identifier: `(mail=<identifier>@<domain>)` for each of
        /// ``BindIdentifierMapping/mailDomains`` (equality index), or `(mail=<identifier>@*)` when there is no
        /// domain (substring index; any domain).
        case mailLocalPart
    }

    /// The lookups, in order of precedence; empty turns identifiers off (every bind name must be a DN).
    package var lookups: [Lookup]
    /// The mail domains of ``Lookup/mailLocalPart`` (the DGFiP's staff domain for the partner directory):
    /// restricting to them keeps an external user's address from answering for an agent's identifier.
    package var mailDomains: [String]

    /// The longest identifier looked up, in bytes; longer names fail like a wrong password without a lookup.
    package static let maximumLength = 256

    /// Makes a mapping.
    package init(lookups: [Lookup], mailDomains: [String] = []) {
        self.lookups = lookups
        self.mailDomains = mailDomains
    }

    /// No identifiers: every bind name is a DN (slapd's behaviour; the library's default).
    package static let off = BindIdentifierMapping(lookups: [])

    /// The partner directory's mapping (domain.md D1): `uid`, then the local part of a DGFiP staff address.
    package static let partnerDirectory = BindIdentifierMapping(
        lookups: [.attribute("uid"), .mailLocalPart], mailDomains: ["dgfip.finances.gouv.fr"])

    /// Whether any lookup is configured.
    package var isEnabled: Bool { !lookups.isEmpty }

    /// The identifier `name` stands for, or `nil` when it is to be read as a DN (see the type's rule).
    package func identifier(in name: [UInt8]) -> String? {
        guard isEnabled, !name.isEmpty, name.count <= Self.maximumLength else { return nil }
        // `=` and the ASCII space and controls; DEL too.
        guard !name.contains(where: { $0 == UInt8(ascii: "=") || $0 <= 0x20 || $0 == 0x7F }) else { return nil }
        guard let text = String(validating: name, as: UTF8.self) else { return nil }
        // Unicode spaces and controls (NBSP, line separators…) make a DN attempt too.
        let spaceOrControl = text.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
        }
        guard !spaceOrControl else { return nil }
        return text
    }

    /// The filters of `lookup` for `identifier`.
    package func filter(_ lookup: Lookup, identifier: String) -> Filter {
        switch lookup {
        case .attribute(let type):
            return .equalityMatch(AttributeValueAssertion(type, identifier))
        case .mailLocalPart:
            guard !mailDomains.isEmpty else {
                return .substrings(
                    SubstringFilter(
                        attributeDescription: .init(string: "mail"), initial: .init(string: identifier + "@")))
            }
            let each = mailDomains.map { Filter.equalityMatch(AttributeValueAssertion("mail", identifier + "@" + $0)) }
            return each.count == 1 ? each[0] : .or(each)
        }
    }
}

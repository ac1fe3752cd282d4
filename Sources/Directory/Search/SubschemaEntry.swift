import LDAPProtocol
import Schema

/// The subschema subentry `cn=Subschema` (RFC 4512 §4.2): the syntaxes, matching rules, attribute types and
/// object classes the server has loaded, in RFC 4512 description form, built once.
struct SubschemaEntry: Sendable {
    /// Its DN, as every entry's `subschemaSubentry` names it.
    static let dn = "cn=Subschema"

    let fixed: FixedEntry
    let name: DistinguishedName

    init(context: SchemaContext, timestamp: String) {
        name = (try? DistinguishedName(Self.dn)) ?? .root
        let rules = context.matchingRules.all
        let ruleUses = rules.compactMap { rule -> String? in
            let types = context.attributeTypes(matchableBy: rule).map(\.primaryName)
            guard !types.isEmpty else { return nil }
            var parts = ["(", rule.oid]
            if let first = rule.names.first { parts += ["NAME", "'\(first)'"] }
            parts += ["APPLIES"] + (types.count == 1 ? types : ["(", types.joined(separator: " $ "), ")"]) + [")"]
            return parts.joined(separator: " ")
        }
        let attributes = [
            EntryAttribute("objectClass", ["top", "subentry", "subschema", "extensibleObject"]),
            EntryAttribute("cn", ["Subschema"]),
            EntryAttribute("structuralObjectClass", ["subentry"]),
            EntryAttribute("createTimestamp", [timestamp]),
            EntryAttribute("modifyTimestamp", [timestamp]),
            EntryAttribute("ldapSyntaxes", context.syntaxes.all.map(\.rfc4512Description)),
            EntryAttribute("matchingRules", rules.map(\.rfc4512Description)),
            EntryAttribute("matchingRuleUse", ruleUses),
            EntryAttribute("attributeTypes", context.schema.attributeTypes.map(\.rfc4512Description)),
            EntryAttribute("objectClasses", context.schema.objectClasses.map(\.rfc4512Description)),
            EntryAttribute("entryDN", [Self.dn]),
            EntryAttribute("subschemaSubentry", [Self.dn]),
        ].filter { !$0.values.isEmpty }
        fixed = FixedEntry(entry: Entry(dn: name, attributes: attributes))
    }
}

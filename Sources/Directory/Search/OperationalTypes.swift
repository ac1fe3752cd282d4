import LDAPProtocol
import Schema

/// The attribute types the server computes or maintains, resolved once in the schema (`nil` when the schema
/// does not define one; the server then neither computes nor publishes it, since a client such as a syncrepl
/// consumer stops on an attribute type it cannot find in the subschema).
struct OperationalTypes: Sendable {
    let entryDN: CompiledAttributeType?
    let hasSubordinates: CompiledAttributeType?
    let subschemaSubentry: CompiledAttributeType?
    /// Not in the shipped `system.schema`: computed only once a schema defines it.
    let numSubordinates: CompiledAttributeType?
    let userPassword: CompiledAttributeType?
    let entryCSN: CompiledAttributeType?
    let structuralObjectClass: CompiledAttributeType?
    let context: SchemaContext

    /// The ids of the computed types (entryDN, hasSubordinates, subschemaSubentry, numSubordinates).
    let computedIDs: Set<Int>

    init(context: SchemaContext) {
        entryDN = context.attributeType(named: "1.3.6.1.1.20")
        hasSubordinates = context.attributeType(named: "2.5.18.9")
        subschemaSubentry = context.attributeType(named: "2.5.18.10")
        numSubordinates = context.attributeType(named: "numSubordinates")
        userPassword = context.attributeType(named: "2.5.4.35")
        entryCSN = context.attributeType(named: "1.3.6.1.4.1.4203.666.1.7")
        structuralObjectClass = context.attributeType(named: "2.5.21.9")
        self.context = context
        computedIDs = Set([entryDN, hasSubordinates, subschemaSubentry, numSubordinates].compactMap { $0?.id })
    }

    /// The computed attributes of `entry`, which has `children` children (RFC 5020 entryDN, X.501
    /// hasSubordinates, RFC 4512 subschemaSubentry, numSubordinates), in slapd's order.
    func computed(for entry: Entry, children: Int) -> [EntryAttribute] {
        var result: [EntryAttribute] = []
        // Stored by Add; computed for entries loaded without it (imports of LDIF that lacks it).
        if let structuralObjectClass,
            !entry.attributes.contains(where: { context.attributeType(named: $0.description.type)?.id == structuralObjectClass.id }),
            let structural = try? context.structuralObjectClass(of: entry)
        {
            result.append(EntryAttribute(structuralObjectClass.primaryName, [structural.primaryName]))
        }
        if let entryDN { result.append(EntryAttribute(entryDN.primaryName, [entry.dn.description])) }
        if let subschemaSubentry {
            result.append(EntryAttribute(subschemaSubentry.primaryName, [SubschemaEntry.dn]))
        }
        if let hasSubordinates {
            result.append(EntryAttribute(hasSubordinates.primaryName, [children > 0 ? "TRUE" : "FALSE"]))
        }
        if let numSubordinates { result.append(EntryAttribute(numSubordinates.primaryName, [String(children)])) }
        return result
    }

    /// Whether `type` is userPassword or one of its subtypes.
    func isPassword(_ type: CompiledAttributeType) -> Bool {
        guard let userPassword else { return false }
        return type.isSubtype(of: userPassword.id)
    }
}

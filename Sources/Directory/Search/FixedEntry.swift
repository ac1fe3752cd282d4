import AccessControl
import LDAPProtocol
import NIOCore
import Schema

/// An entry the server makes rather than stores (the root DSE, the subschema subentry): every attribute is
/// known in advance, and only `objectClass` and `cn` are user attributes, so `*` returns just those and the
/// rest comes by name or with `+` (as slapd publishes them).
struct FixedEntry: Sendable {
    let entry: Entry

    /// The entry as a search returns it with `selection`, without the attributes of the schema that `access`
    /// does not let the client read (attributes the schema lacks go with the entry's own right).
    func render(
        selection: AttributeSelection, typesOnly: Bool, context: SchemaContext, access: EntryAccess
    ) -> SearchResultEntry {
        var user: [PartialAttribute] = []
        var operational: [PartialAttribute] = []
        for attribute in entry.attributes {
            let name = attribute.description.description
            let isOperational = Self.isOperational(name, context: context)
            guard selection.includes(name, operational: isOperational, context: context) else { continue }
            if let type = context.attributeType(named: attribute.description.type), !access.allows(.read, .type(type)) {
                continue
            }
            let partial = EntryRenderer.partial(attribute, typesOnly: typesOnly)
            if isOperational { operational.append(partial) } else { user.append(partial) }
        }
        return SearchResultEntry(objectName: ByteBuffer(bytes: entry.dn.utf8Bytes), attributes: user + operational)
    }

    /// Whether the filter is TRUE for the entry; with `access`, items on attributes the client may not search
    /// are Undefined.
    func matches(_ filter: Filter, context: SchemaContext, access: EntryAccess? = nil) -> Bool {
        guard let access else { return PreparedFilter(filter, context: context).matches(entry) }
        var protected = ProtectedFilter(filter, context: context)
        return protected.prepared(for: entry, access: access).matches(entry)
    }

    private static func isOperational(_ name: String, context: SchemaContext) -> Bool {
        guard let type = context.attributeType(named: AttributeDescription(name).type) else {
            return !["objectclass", "cn"].contains(name.lowercased())
        }
        return type.isOperational
    }
}

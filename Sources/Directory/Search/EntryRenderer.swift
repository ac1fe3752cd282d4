import AccessControl
import LDAPProtocol
import NIOCore
import Schema

/// Turns a stored entry into the SearchResultEntry a client receives: the selected stored attributes (user
/// ones first, as stored), then the computed operational ones; attributes the reader may not `read` (the access
/// policy, which never lets anyone but the root DN read `userPassword`) silently left out, and so are values a
/// value rule does not let the reader read; values left out with typesOnly.
struct EntryRenderer: Sendable {
    let context: SchemaContext
    let operational: OperationalTypes

    func render(
        _ entry: Entry, children: Int, selection: AttributeSelection, typesOnly: Bool, access: EntryAccess
    ) -> SearchResultEntry {
        var attributes: [PartialAttribute] = []
        var operationalAttributes: [PartialAttribute] = []
        for attribute in entry.attributes {
            guard let type = context.attributeType(named: attribute.description.type),
                selection.includes(type, options: attribute.description.options)
            else {
                continue
            }
            if !access.allows(.read, .type(type)) { continue }
            var attribute = attribute
            if access.valuesMayDiffer(.read, type) {
                // Value rules: each value returned needs `read` on itself; none left, no attribute.
                attribute.values = attribute.values.filter { access.allows(.read, type, value: $0) }
                if attribute.values.isEmpty { continue }
            }
            let partial = Self.partial(attribute, typesOnly: typesOnly)
            if type.isOperational { operationalAttributes.append(partial) } else { attributes.append(partial) }
        }
        for attribute in operational.computed(for: entry, children: children) {
            guard let type = context.attributeType(named: attribute.description.type),
                selection.includes(type, options: []), access.allows(.read, .type(type))
            else {
                continue
            }
            operationalAttributes.append(Self.partial(attribute, typesOnly: typesOnly))
        }
        return SearchResultEntry(
            objectName: ByteBuffer(bytes: entry.dn.utf8Bytes), attributes: attributes + operationalAttributes)
    }

    /// `entry` with its computed attributes, for filters and compares that read them.
    func withComputed(_ entry: Entry, children: Int) -> Entry {
        var result = entry
        result.attributes += operational.computed(for: entry, children: children)
        return result
    }

    static func partial(_ attribute: EntryAttribute, typesOnly: Bool) -> PartialAttribute {
        PartialAttribute(
            type: ByteBuffer(string: attribute.description.description),
            values: typesOnly ? [] : attribute.values.map { ByteBuffer(bytes: $0) })
    }
}

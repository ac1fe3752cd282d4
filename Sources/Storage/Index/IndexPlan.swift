import LDAPProtocol
import Schema

/// An ``IndexConfiguration`` resolved against the schema: the kinds kept for each attribute type id (configured
/// types and their subtypes), the counted types, and the canonical text recorded in `meta`.
struct IndexPlan: Sendable {
    /// Attribute type id → kinds.
    let kindsByType: [Int: IndexKinds]
    /// The counted types (each also counts its subtypes' values), by id.
    let countedTypes: [Int]
    /// One line per configured type, `index <oid> <kinds>`, then `count <oid>` lines, sorted: what `meta` records.
    let canonicalText: String

    /// Resolves `configuration`; unknown attribute names are refused (`other`, naming the name).
    init(_ configuration: IndexConfiguration, context: SchemaContext) throws(StoreError) {
        var configured: [Int: IndexKinds] = [:]
        var lines: [String] = []
        for (name, kinds) in configuration.indexes where !kinds.isEmpty {
            guard let type = context.attributeType(named: name) else {
                throw StoreError(.other, "index configuration names an unknown attribute type '\(name)'")
            }
            configured[type.id, default: []].formUnion(kinds)
        }
        var kindsByType: [Int: IndexKinds] = [:]
        for type in context.attributeTypes {
            var kinds: IndexKinds = configured[type.id] ?? []
            for superior in type.superiors { kinds.formUnion(configured[superior] ?? []) }
            if !kinds.isEmpty { kindsByType[type.id] = kinds }
        }
        for (id, kinds) in configured { lines.append("index \(context.attributeTypes[id].oid) \(kinds)") }
        var counted: [Int] = []
        for name in configuration.countedAttributes {
            guard let type = context.attributeType(named: name) else {
                throw StoreError(.other, "counter configuration names an unknown attribute type '\(name)'")
            }
            if !counted.contains(type.id) {
                counted.append(type.id)
                lines.append("count \(type.oid)")
            }
        }
        self.kindsByType = kindsByType
        self.countedTypes = counted
        self.canonicalText = lines.sorted().joined(separator: "\n")
    }

    /// The configuration written as ``canonicalText`` (attribute types by OID).
    static func configuration(parsing text: String) -> IndexConfiguration {
        var configuration = IndexConfiguration()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 3, fields[0] == "index", let kinds = IndexKinds(parsing: fields[2]) {
                configuration.indexes[String(fields[1])] = kinds
            } else if fields.count == 2, fields[0] == "count" {
                configuration.countedAttributes.append(String(fields[1]))
            }
        }
        return configuration
    }

    /// The kinds kept for the type `id`.
    func kinds(of id: Int) -> IndexKinds {
        kindsByType[id] ?? []
    }

    /// The names of every index database of the plan.
    func databaseNames(context: SchemaContext) -> [String] {
        var names: [String] = []
        for (id, kinds) in kindsByType.sorted(by: { $0.key < $1.key }) {
            for (kind, _) in IndexKinds.named where kinds.contains(kind) {
                names.append(Self.databaseName(kind, oid: context.attributeTypes[id].oid))
            }
        }
        return names
    }

    /// `eq:2.5.4.3`, `pres:…`, `sub:…`, `ord:…`.
    static func databaseName(_ kind: IndexKinds, oid: String) -> String {
        let prefix = IndexKinds.named.first { $0.0 == kind }?.1 ?? "?"
        return prefix + ":" + oid
    }
}

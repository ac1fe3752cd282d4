import Schema

/// One key of one index database. `key == nil` in a `pres:` database, whose keys are the entry ids themselves.
struct IndexEntry: Hashable, Sendable {
    var database: String
    var key: [UInt8]?
}

/// What an entry puts into the index and counter databases under an ``IndexPlan``: computed for the entry
/// before and after a write, and the difference applied ("normalise once": values are normalised here, at
/// write time, by their type's rules).
struct EntryIndexer: Sendable {
    let context: SchemaContext
    let plan: IndexPlan
    let maxKeySize: Int

    /// OID of `objectClass`.
    static let objectClassOID = "2.5.4.0"

    /// Every index key of `entry`. Values a rule cannot normalise are left out: they match nothing.
    func indexEntries(of entry: Entry) -> Set<IndexEntry> {
        var result: Set<IndexEntry> = []
        for attribute in entry.attributes {
            guard let type = context.attributeType(named: attribute.description.type) else { continue }
            let kinds = plan.kinds(of: type.id)
            if kinds.isEmpty { continue }
            if kinds.contains(.presence) {
                result.insert(IndexEntry(database: IndexPlan.databaseName(.presence, oid: type.oid), key: nil))
            }
            if kinds.contains(.equality), let rule = type.equality {
                let name = IndexPlan.databaseName(.equality, oid: type.oid)
                for value in attribute.values {
                    guard let normalized = try? context.normalize(value, rule: rule, of: type) else { continue }
                    result.insert(
                        IndexEntry(database: name, key: IndexKeys.valueKey(normalized, maxKeySize: maxKeySize)))
                }
            }
            if kinds.contains(.ordering), let rule = type.ordering {
                let name = IndexPlan.databaseName(.ordering, oid: type.oid)
                for value in attribute.values {
                    guard let normalized = try? context.normalize(value, rule: rule, of: type) else { continue }
                    result.insert(
                        IndexEntry(database: name, key: IndexKeys.valueKey(normalized, maxKeySize: maxKeySize)))
                }
            }
            if kinds.contains(.substring), let rule = type.substring {
                let name = IndexPlan.databaseName(.substring, oid: type.oid)
                for value in attribute.values {
                    guard let normalized = try? context.normalize(value, rule: rule, of: type) else { continue }
                    for key in IndexKeys.substringKeys(normalized) {
                        result.insert(IndexEntry(database: name, key: Array(key.prefix(maxKeySize))))
                    }
                }
            }
        }
        return result
    }

    /// The counters `entry` adds to (see ``CounterKey``), as database keys.
    func counterKeys(of entry: Entry) -> Set<[UInt8]> {
        counterKeys(of: entry, validated: nil)
    }

    /// ``counterKeys(of:)``.
    /// With `validated` (what the validation of `entry` resolved), the types and equality-normalised values are
    /// taken from it rather than resolved again.
    func counterKeys(of entry: Entry, validated: ValidatedAttributes?) -> Set<[UInt8]> {
        var keys: Set<CounterKey> = [.total]
        for (position, attribute) in entry.attributes.enumerated() {
            guard let type = validated?.types[position] ?? context.attributeType(named: attribute.description.type)
            else { continue }
            if type.oid == Self.objectClassOID {
                for value in attribute.values {
                    let name = String(decoding: value, as: UTF8.self).trimmingCharacters(in: " ")
                    keys.insert(.objectClass(context.objectClass(named: name)?.oid ?? name.lowercased()))
                }
            }
            for countedID in plan.countedTypes where type.isSubtype(of: countedID) {
                let counted = context.attributeTypes[countedID]
                let reused =
                    counted.equality != nil && counted.equality?.oid == type.equality?.oid
                    ? validated?.normalized[position] : nil
                for (index, value) in attribute.values.enumerated() {
                    let normalized =
                        reused?[index]
                        ?? counted.equality.flatMap { try? context.normalize(value, rule: $0, of: type) }
                    keys.insert(.value(attribute: counted.oid, value: normalized ?? value))
                }
            }
        }
        return Set(keys.map { $0.bytes(maxKeySize: maxKeySize) })
    }
}

extension String {
    /// The string without leading and trailing `character`s.
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}

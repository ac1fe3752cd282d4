/// The maintained counters of a store (``DirectoryStore/counts()``), or the same figures recounted from the
/// entries (``DirectoryStore/recount()``): equal when the store is consistent.
package struct DirectoryCounts: Hashable, Sendable {
    /// Every non-zero counter.
    package var counters: [CounterKey: Int]

    /// Makes counts.
    package init(counters: [CounterKey: Int] = [:]) {
        self.counters = counters
    }

    /// The number of entries.
    package var total: Int { counters[.total] ?? 0 }

    /// The number of entries listing the class with this OID.
    package func count(objectClass oid: String) -> Int {
        counters[.objectClass(oid)] ?? 0
    }

    /// The number of entries holding `value` (equality-normalised) in the counted attribute with this OID.
    package func count(attribute oid: String, value: [UInt8]) -> Int {
        counters[.value(attribute: oid, value: value)] ?? 0
    }

    /// Per object class OID, the number of entries listing it.
    package var objectClasses: [String: Int] {
        var result: [String: Int] = [:]
        for (key, count) in counters {
            if case .objectClass(let oid) = key { result[oid] = count }
        }
        return result
    }
}

import Storage

extension Configuration {
    /// The index configuration the store is opened with; counters follow the storage defaults.
    var indexConfiguration: IndexConfiguration {
        var indexes: [String: IndexKinds] = [:]
        for indexed in self.indexes {
            indexes[indexed.attribute, default: []].formUnion(
                indexed.kinds.reduce(into: IndexKinds()) { $0.formUnion($1.storageKinds) })
        }
        return IndexConfiguration(
            indexes: indexes, countedAttributes: IndexConfiguration.partnerDirectory.countedAttributes)
    }
}

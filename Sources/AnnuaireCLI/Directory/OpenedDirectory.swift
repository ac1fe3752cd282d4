import LDAPProtocol
import Schema
import Storage

/// The directory of a configuration, opened for an offline tool or the server: the LMDB environment in the
/// data directory, the schema context of the configured schema files, and the store with the configured indexes.
struct OpenedDirectory {
    let environment: LMDBEnvironment
    let context: SchemaContext
    let store: DirectoryStore

    /// Opens (creating when new) the database of `configuration`.
    ///
    /// `readOnly` opens for tools that only read (`export`, `verify`, `backup`): they skip the data-directory
    /// lock, so they may run beside a server.
    static func open(_ configuration: Configuration, readOnly: Bool = false) throws -> OpenedDirectory {
        let schema = try Schema(files: configuration.schemaPaths)
        let context = SchemaContext(schema: schema)
        let environment = try LMDBEnvironment(
            directory: configuration.dataDirectory,
            configuration: LMDBConfiguration(
                access: readOnly ? .readOnly : .readWrite,
                mapSize: configuration.mapSize,
                maxMapSize: configuration.maxMapSize
            )
        )
        let store = try DirectoryStore(
            environment: environment,
            context: context,
            namingContexts: [configuration.suffix],
            indexes: configuration.indexConfiguration
        )
        return OpenedDirectory(environment: environment, context: context, store: store)
    }
}

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

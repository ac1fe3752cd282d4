import Foundation

extension Schema {
    /// The schema files the server ships in `schema/`, in load order.
    public static let standardFiles = [
        "system.schema", "core.schema", "cosine.schema", "inetorgperson.schema", "ppolicy.schema", "aspasie.schema",
    ]

    /// Builds a schema from files, read in order; errors name each file by the path given here.
    public init(files paths: [String]) throws(SchemaError) {
        var sources: [SchemaSource] = []
        for path in paths {
            sources.append(try Self.readSource(path))
        }
        try self.init(sources: sources)
    }

    /// Builds a schema from `files` in `directory` (by default the shipped files, in their order).
    public init(directory: String, files: [String] = Schema.standardFiles) throws(SchemaError) {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        try self.init(files: files.map { base + $0 })
    }

    static func readSource(_ path: String) throws(SchemaError) -> SchemaSource {
        let location = SchemaSourceLocation(file: path, line: 0)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SchemaError(.unreadableFile(reason: error.localizedDescription), at: location)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SchemaError(.invalidUTF8, at: location)
        }
        return SchemaSource(name: path, text: text)
    }
}

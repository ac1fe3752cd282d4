/// An `X-` extension of a description (RFC 4512 §4.1: `xstring SP qdstrings`), such as `X-ORDERED 'VALUES'`.
public struct SchemaExtension: Sendable, Hashable {
    /// The extension keyword, `X-` included, as written.
    public var name: String
    /// The quoted strings that follow it, unescaped.
    public var values: [String]

    /// Creates an extension.
    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

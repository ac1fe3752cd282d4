/// The text of one schema file and the name its errors are reported under.
public struct SchemaSource: Sendable, Hashable {
    /// The name errors use: a path, a file name, or a label for text built in memory.
    public var name: String
    /// The file's contents.
    public var text: String

    /// Creates a source.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

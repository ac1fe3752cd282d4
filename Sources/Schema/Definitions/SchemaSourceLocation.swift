/// Where a schema statement was read: the file as it was named to the loader, and a 1-based line.
public struct SchemaSourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file name or path given to the loader (or a caller-chosen label for in-memory text).
    public var file: String
    /// The 1-based physical line.
    public var line: Int

    /// Creates a location.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `file:line`.
    public var description: String { "\(file):\(line)" }
}

/// An attribute description with its values, as found in an LDIF record.
public struct LDIFAttribute: Hashable, Sendable {
    /// The attribute description: a type with options, e.g. `cn` or `ou;lang-ja;phonetic`, as written.
    public var description: String
    /// The values, raw bytes in file order (UTF-8 text for string syntaxes).
    public var values: [[UInt8]]

    /// Creates an attribute with byte values.
    public init(description: String, values: [[UInt8]]) {
        self.description = description
        self.values = values
    }

    /// Creates an attribute whose values are the UTF-8 encodings of `values`.
    public init(description: String, stringValues: [String]) {
        self.init(description: description, values: stringValues.map { Array($0.utf8) })
    }
}

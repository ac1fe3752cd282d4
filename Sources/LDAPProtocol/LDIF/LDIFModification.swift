/// One `mod-spec` of a `changetype: modify` record: an operation on an attribute, closed by `-`.
public struct LDIFModification: Hashable, Sendable {
    /// The modification operation.
    public enum Operation: String, Hashable, Sendable, CaseIterable {
        /// `add:` — add the values.
        case add
        /// `delete:` — delete the values, or the whole attribute when there are none.
        case delete
        /// `replace:` — replace all values; no values removes the attribute.
        case replace
        /// `increment:` (RFC 4525) — add the single value to the attribute's integer value.
        case increment
    }

    /// What to do.
    public var operation: Operation
    /// The attribute description the modification names, as written.
    public var attribute: String
    /// The values, in file order.
    public var values: [[UInt8]]

    /// Creates a modification with byte values.
    public init(_ operation: Operation, attribute: String, values: [[UInt8]] = []) {
        self.operation = operation
        self.attribute = attribute
        self.values = values
    }

    /// Creates a modification whose values are the UTF-8 encodings of `stringValues`.
    public init(_ operation: Operation, attribute: String, stringValues: [String]) {
        self.init(operation, attribute: attribute, values: stringValues.map { Array($0.utf8) })
    }
}

/// What ``SchemaContext/validatedAttributes(_:options:)`` resolved of a valid entry, attribute by attribute in
/// the entry's order: each attribute's type, and its values normalised by the type's equality rule (the values
/// themselves for a type without one), exactly as ``SchemaContext/normalize(_:rule:of:assertion:)`` gives them.
package struct ValidatedAttributes: Sendable {
    /// The type of each attribute.
    package var types: [CompiledAttributeType]
    /// The equality-normalised values of each attribute, in order.
    package var normalized: [[[UInt8]]]
}

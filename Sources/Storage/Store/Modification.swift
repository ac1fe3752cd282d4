import LDAPProtocol
import Schema

/// One change of a Modify (RFC 4511 §4.6, and RFC 4525's increment): an operation and an attribute with the
/// values it names.
package struct Modification: Hashable, Sendable {
    /// add, delete, replace or increment.
    package var operation: ModifyRequest.Change.Operation
    /// The attribute description and the values.
    package var attribute: EntryAttribute

    /// Makes a modification.
    package init(_ operation: ModifyRequest.Change.Operation, _ attribute: EntryAttribute) {
        self.operation = operation
        self.attribute = attribute
    }

    /// Makes a modification from a description and string values.
    package init(_ operation: ModifyRequest.Change.Operation, _ description: String, _ values: [String] = []) {
        self.init(operation, EntryAttribute(description, values))
    }
}

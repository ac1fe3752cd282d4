/// A server setting that cannot be used, with a message naming the value.
package struct ServerConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the value.
    package var message: String

    /// Makes the error.
    package init(_ message: String) { self.message = message }

    package var description: String { message }
}

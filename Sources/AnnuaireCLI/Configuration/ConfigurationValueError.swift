/// Why a text is not a valid value for a key; the loader adds the key and the source.
struct ConfigurationValueError: Error, Hashable, Sendable {
    /// What is wrong with the value.
    var message: String

    init(_ message: String) {
        self.message = message
    }
}

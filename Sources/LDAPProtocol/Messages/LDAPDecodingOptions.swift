/// Limits applied while decoding untrusted PDUs.
public struct LDAPDecodingOptions: Hashable, Sendable {
    /// Deepest nesting of AND/OR/NOT accepted in a filter; deeper filters are a protocol error.
    public var maximumFilterDepth: Int

    public init(maximumFilterDepth: Int = 64) {
        self.maximumFilterDepth = maximumFilterDepth
    }
}

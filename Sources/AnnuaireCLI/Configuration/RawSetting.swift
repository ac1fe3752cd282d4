/// A setting as one source gives it, before precedence and checks.
struct RawSetting: Hashable, Sendable {
    /// The key.
    var key: ConfigurationKey
    /// The value, unchecked.
    var value: RawValue
    /// Where it came from.
    var source: ConfigurationSource
}

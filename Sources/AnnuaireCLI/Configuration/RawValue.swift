/// A setting's value before it is checked: as the file wrote it, or as text from the environment or a flag.
enum RawValue: Hashable, Sendable {
    /// A value of the configuration file, typed as written.
    case file(ConfigFileValue)
    /// One text: an environment variable, or a flag given once.
    case text(String)
    /// The values of a repeatable flag, in order.
    case texts([String])
}

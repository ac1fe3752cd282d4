/// The least severe kind of message logged.
enum LogLevel: String, CaseIterable, Hashable, Sendable {
    case trace, debug, info, notice, warning, error

    /// The level named `name`, in any case.
    init?(name: String) {
        self.init(rawValue: name.lowercased())
    }
}

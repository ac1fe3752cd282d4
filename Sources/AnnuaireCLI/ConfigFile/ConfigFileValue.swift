/// A value of the configuration file: the TOML subset Annuaire reads (strings, integers, arrays of them).
enum ConfigFileValue: Hashable, Sendable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case array([ConfigFileValue])

    /// What the value is, for messages: `a string`, `an integer`, `an array`.
    var kindDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .array: "an array"
        }
    }
}

/// The `USAGE` of an attribute type (RFC 4512 §4.1.2): user data or one of three operational kinds.
public enum AttributeUsage: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// User attributes (the default).
    case userApplications
    /// Operational attributes kept by the server per entry (timestamps, `entryUUID`…).
    case directoryOperation
    /// Operational attributes shared among servers (`ref`).
    case distributedOperation
    /// Operational attributes local to one server (root DSE attributes).
    case dSAOperation

    /// Whether attributes of this usage are operational (everything but `userApplications`).
    public var isOperational: Bool { self != .userApplications }

    /// The keyword as written in descriptions.
    public var description: String { rawValue }

    /// Parses the keyword, case-insensitively.
    public init?(keyword: String) {
        guard let usage = Self.allCases.first(where: { $0.rawValue.lowercased() == keyword.lowercased() }) else {
            return nil
        }
        self = usage
    }
}

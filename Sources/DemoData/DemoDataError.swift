/// Why demo data cannot be generated from the options given.
public enum DemoDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--people` is negative.
    case negativePeopleCount(Int)
    /// The suffix is not a distinguished name (RFC 4514); the text says where.
    case invalidSuffix(String, reason: String)
    /// The suffix's first RDN is not one the generator can build an entry for (`dc`, `o`, `ou`, single-valued).
    case unsupportedSuffix(String)
    /// An output file could not be opened or written.
    case output(path: String, reason: String)

    public var description: String {
        switch self {
        case .negativePeopleCount(let count):
            return "--people must be 0 or more, not \(count)"
        case .invalidSuffix(let suffix, let reason):
            return "suffix '\(suffix)' is not a distinguished name: \(reason)"
        case .unsupportedSuffix(let suffix):
            return "suffix '\(suffix)' must start with a single dc=, o= or ou= RDN"
        case .output(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

/// The three-valued result of a search filter on an entry (RFC 4511 §4.5.1.7): TRUE, FALSE or Undefined.
/// Only TRUE returns the entry; a Undefined item stays Undefined under NOT, and AND and OR combine as
/// Kleene's logic (FALSE wins in an AND, TRUE in an OR, Undefined otherwise when one operand is Undefined).
public enum FilterResult: Hashable, Sendable, CustomStringConvertible {
    /// The filter matches the entry.
    case `true`
    /// The filter does not match the entry.
    case `false`
    /// The server cannot decide: unknown attribute type or matching rule, an assertion value the rule
    /// refuses, no rule for the kind of match asked for.
    case undefined

    /// `.true` or `.false`.
    public init(_ value: Bool) {
        self = value ? .true : .false
    }

    /// Whether the result is TRUE (the entry is returned).
    public var isTrue: Bool { self == .true }

    /// NOT: TRUE and FALSE swap, Undefined stays Undefined.
    public static prefix func ! (operand: FilterResult) -> FilterResult {
        switch operand {
        case .true: return .false
        case .false: return .true
        case .undefined: return .undefined
        }
    }

    /// AND of two results: FALSE if either is, else Undefined if either is, else TRUE.
    public func and(_ other: FilterResult) -> FilterResult {
        if self == .false || other == .false { return .false }
        if self == .undefined || other == .undefined { return .undefined }
        return .true
    }

    /// OR of two results: TRUE if either is, else Undefined if either is, else FALSE.
    public func or(_ other: FilterResult) -> FilterResult {
        if self == .true || other == .true { return .true }
        if self == .undefined || other == .undefined { return .undefined }
        return .false
    }

    /// `TRUE`, `FALSE` or `Undefined`, as RFC 4511 writes them.
    public var description: String {
        switch self {
        case .true: return "TRUE"
        case .false: return "FALSE"
        case .undefined: return "Undefined"
        }
    }
}

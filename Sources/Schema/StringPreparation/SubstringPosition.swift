/// Where a piece of a substring assertion sits: `initial*`, `*any*` or `*final`.
public enum SubstringPosition: Hashable, Sendable {
    /// The piece before the first `*`: the value must start with it.
    case initial
    /// A piece between two `*`: the value must contain it, after the pieces before it.
    case any
    /// The piece after the last `*`: the value must end with it.
    case final
}

/// The kind of an object class (RFC 4512 §2.4).
public enum ObjectClassKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Never the only class of an entry; a base for other classes (`top`).
    case abstract = "ABSTRACT"
    /// Exactly one structural chain per entry; says what the entry is.
    case structural = "STRUCTURAL"
    /// Adds attributes to entries of any structural class.
    case auxiliary = "AUXILIARY"

    /// The keyword as written in descriptions.
    public var description: String { rawValue }

    /// Whether a class of this kind may name a class of `superior` kind as its `SUP` (RFC 4512 §2.4.1–2.4.3):
    /// abstract classes derive only from abstract ones, structural and auxiliary ones from abstract ones or
    /// their own kind.
    public func mayDerive(from superior: ObjectClassKind) -> Bool {
        superior == .abstract || superior == self
    }
}

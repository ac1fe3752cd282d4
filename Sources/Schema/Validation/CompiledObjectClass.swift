/// An object class as a ``SchemaContext`` holds it: superclasses and attribute lists resolved to ids, including
/// what the class inherits.
///
/// A class, immutable, for the same reason as ``CompiledAttributeType``.
public final class CompiledObjectClass: Sendable {
    /// The position of the class in ``SchemaContext/objectClasses``.
    public let id: Int
    /// The numeric OID.
    public let oid: String
    /// The names, first one primary; may be empty.
    public let names: [String]
    /// `ABSTRACT`, `STRUCTURAL` or `AUXILIARY`.
    public let kind: ObjectClassKind
    /// The ids of every superclass, direct and indirect, nearest first.
    public let superclasses: [Int]
    /// The ids of every attribute type the class requires, inherited ones included: its own `MUST` first.
    public let required: [Int]
    /// The ids of every attribute type the class requires or allows, inherited ones included.
    public let allowed: Set<Int>
    /// `superclasses` as a set.
    let ancestors: Set<Int>

    init(
        id: Int, oid: String, names: [String], kind: ObjectClassKind, superclasses: [Int], required: [Int],
        allowed: Set<Int>, ancestors: Set<Int>
    ) {
        self.id = id
        self.oid = oid
        self.names = names
        self.kind = kind
        self.superclasses = superclasses
        self.required = required
        self.allowed = allowed
        self.ancestors = ancestors
    }

    /// The first name, or the OID for a class without a name.
    public var primaryName: String { names.first ?? oid }

    /// Whether this class is `ancestor` or derives from it.
    public func isSubclass(of ancestor: Int) -> Bool {
        id == ancestor || ancestors.contains(ancestor)
    }
}

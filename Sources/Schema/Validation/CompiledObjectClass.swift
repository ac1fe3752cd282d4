/// An object class as a ``SchemaContext`` holds it: superclasses and attribute lists resolved to ids, including
/// what the class inherits.
public struct CompiledObjectClass: Sendable {
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

    /// The first name, or the OID for a class without a name.
    public var primaryName: String { names.first ?? oid }

    /// Whether this class is `ancestor` or derives from it.
    public func isSubclass(of ancestor: Int) -> Bool {
        id == ancestor || ancestors.contains(ancestor)
    }
}

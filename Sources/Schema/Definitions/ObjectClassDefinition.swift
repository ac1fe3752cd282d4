/// An object class as written in its description (RFC 4512 §4.1.1), macros expanded.
///
/// Superclasses and attribute lists are kept as written, by name or OID; a `Schema` resolves them and
/// gives the inherited lists.
public struct ObjectClassDefinition: Sendable, Hashable {
    /// The numeric OID.
    public var oid: String
    /// The names (`NAME`), first one primary; may be empty.
    public var names: [String]
    /// The `DESC` text, unescaped.
    public var descriptionText: String?
    /// `OBSOLETE`.
    public var isObsolete: Bool
    /// The direct superclasses (`SUP`), by name or OID.
    public var superiors: [String]
    /// `ABSTRACT`, `STRUCTURAL` (the default) or `AUXILIARY`.
    public var kind: ObjectClassKind
    /// The attribute types the class requires (`MUST`), by name or OID, not including inherited ones.
    public var mustAttributes: [String]
    /// The attribute types the class allows (`MAY`), by name or OID, not including inherited ones.
    public var mayAttributes: [String]
    /// `X-` extensions, in order.
    public var extensions: [SchemaExtension]

    /// Creates a definition; everything but the OID is optional.
    public init(
        oid: String,
        names: [String] = [],
        descriptionText: String? = nil,
        isObsolete: Bool = false,
        superiors: [String] = [],
        kind: ObjectClassKind = .structural,
        mustAttributes: [String] = [],
        mayAttributes: [String] = [],
        extensions: [SchemaExtension] = []
    ) {
        self.oid = oid
        self.names = names
        self.descriptionText = descriptionText
        self.isObsolete = isObsolete
        self.superiors = superiors
        self.kind = kind
        self.mustAttributes = mustAttributes
        self.mayAttributes = mayAttributes
        self.extensions = extensions
    }

    /// The first name, or the OID when the class has none.
    public var primaryName: String { names.first ?? oid }

    /// Whether `name` is one of the class's names (case-insensitive) or its OID.
    public func isNamed(_ name: String) -> Bool {
        name == oid || names.contains { $0.lowercased() == name.lowercased() }
    }
}

/// An attribute type as written in its description (RFC 4512 §4.1.2), macros expanded.
///
/// References (`superior`, matching rules, syntax) are kept as written, by name or OID; a `Schema` resolves
/// them, and `ResolvedAttributeType` carries what a type inherits from its supertypes.
public struct AttributeTypeDefinition: Sendable, Hashable {
    /// The numeric OID.
    public var oid: String
    /// The names (`NAME`), first one primary; may be empty.
    public var names: [String]
    /// The `DESC` text, unescaped.
    public var descriptionText: String?
    /// `OBSOLETE`.
    public var isObsolete: Bool
    /// The direct supertype (`SUP`), by name or OID.
    public var superior: String?
    /// The `EQUALITY` matching rule, by name or OID.
    public var equality: String?
    /// The `ORDERING` matching rule, by name or OID.
    public var ordering: String?
    /// The `SUBSTR` matching rule, by name or OID.
    public var substring: String?
    /// The `SYNTAX` numeric OID, without its length.
    public var syntax: String?
    /// The suggested maximum length, the `{len}` after the syntax OID.
    public var syntaxLength: Int?
    /// `SINGLE-VALUE`.
    public var isSingleValued: Bool
    /// `COLLECTIVE` (RFC 3671).
    public var isCollective: Bool
    /// `NO-USER-MODIFICATION`: only the server writes it.
    public var isNoUserModification: Bool
    /// `USAGE`; `userApplications` when absent.
    public var usage: AttributeUsage
    /// `X-` extensions, in order.
    public var extensions: [SchemaExtension]

    /// Creates a definition; everything but the OID is optional.
    public init(
        oid: String,
        names: [String] = [],
        descriptionText: String? = nil,
        isObsolete: Bool = false,
        superior: String? = nil,
        equality: String? = nil,
        ordering: String? = nil,
        substring: String? = nil,
        syntax: String? = nil,
        syntaxLength: Int? = nil,
        isSingleValued: Bool = false,
        isCollective: Bool = false,
        isNoUserModification: Bool = false,
        usage: AttributeUsage = .userApplications,
        extensions: [SchemaExtension] = []
    ) {
        self.oid = oid
        self.names = names
        self.descriptionText = descriptionText
        self.isObsolete = isObsolete
        self.superior = superior
        self.equality = equality
        self.ordering = ordering
        self.substring = substring
        self.syntax = syntax
        self.syntaxLength = syntaxLength
        self.isSingleValued = isSingleValued
        self.isCollective = isCollective
        self.isNoUserModification = isNoUserModification
        self.usage = usage
        self.extensions = extensions
    }

    /// The first name, or the OID when the type has none.
    public var primaryName: String { names.first ?? oid }

    /// Whether the type is operational (any usage but `userApplications`).
    public var isOperational: Bool { usage.isOperational }

    /// Whether `name` is one of the type's names (case-insensitive) or its OID.
    public func isNamed(_ name: String) -> Bool {
        name == oid || names.contains { $0.lowercased() == name.lowercased() }
    }

    /// The values of the extension `name` (case-insensitive), if present.
    public func extensionValues(_ name: String) -> [String]? {
        extensions.first { $0.name.lowercased() == name.lowercased() }?.values
    }
}

/// An attribute type with what it inherits from its supertypes (RFC 4512 §2.5.1): the matching rules and
/// syntax it does not declare are those of its nearest supertype that does.
public struct ResolvedAttributeType: Sendable, Hashable {
    /// The definition as written.
    public var definition: AttributeTypeDefinition
    /// The supertypes' OIDs, nearest first.
    public var superiorOIDs: [String]
    /// The effective `EQUALITY` rule, by name or OID as written where it was declared.
    public var equality: String?
    /// The effective `ORDERING` rule.
    public var ordering: String?
    /// The effective `SUBSTR` rule.
    public var substring: String?
    /// The effective syntax OID (always present once a schema is built).
    public var syntax: String
    /// The suggested maximum length that goes with `syntax`.
    public var syntaxLength: Int?

    /// Creates a resolved type.
    public init(
        definition: AttributeTypeDefinition,
        superiorOIDs: [String],
        equality: String?,
        ordering: String?,
        substring: String?,
        syntax: String,
        syntaxLength: Int?
    ) {
        self.definition = definition
        self.superiorOIDs = superiorOIDs
        self.equality = equality
        self.ordering = ordering
        self.substring = substring
        self.syntax = syntax
        self.syntaxLength = syntaxLength
    }

    /// The OID of the type.
    public var oid: String { definition.oid }
    /// The primary name of the type.
    public var primaryName: String { definition.primaryName }
    /// Whether the type is single-valued (not inherited: RFC 4512 leaves SINGLE-VALUE to each type).
    public var isSingleValued: Bool { definition.isSingleValued }
    /// Whether the type is operational.
    public var isOperational: Bool { definition.isOperational }
}

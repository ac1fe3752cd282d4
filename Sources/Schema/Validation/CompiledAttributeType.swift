/// An attribute type as a ``SchemaContext`` holds it: every reference resolved once, to the matching rules and
/// syntax objects that validation and filter evaluation call, with what it inherits from its supertypes
/// (RFC 4512 §2.5.1).
///
/// A class, immutable: entries look their types up on every validation and index pass, and a reference costs
/// one retain where a copy of this many fields cost one per field.
public final class CompiledAttributeType: Sendable {
    /// The position of the type in ``SchemaContext/attributeTypes``; stable for the context's lifetime.
    public let id: Int
    /// The numeric OID.
    public let oid: String
    /// The names, first one primary; may be empty.
    public let names: [String]
    /// The effective `EQUALITY` rule; `nil` when the type has none or the server does not implement it.
    public let equality: MatchingRule?
    /// The effective `ORDERING` rule.
    public let ordering: MatchingRule?
    /// The effective `SUBSTR` rule.
    public let substring: MatchingRule?
    /// The effective syntax OID, without length bound.
    public let syntaxOID: String
    /// The effective syntax; `nil` when the server does not implement it (values are then not checked).
    public let syntax: AttributeSyntax?
    /// The suggested maximum length of values (`{256}`), inherited with the syntax.
    public let syntaxLength: Int?
    /// `SINGLE-VALUE` (not inherited).
    public let isSingleValued: Bool
    /// `NO-USER-MODIFICATION`: only the server writes it.
    public let isNoUserModification: Bool
    /// `COLLECTIVE`.
    public let isCollective: Bool
    /// `OBSOLETE`.
    public let isObsolete: Bool
    /// `USAGE`.
    public let usage: AttributeUsage
    /// The ids of the supertypes, nearest first.
    public let superiors: [Int]
    /// Whether values name object classes (`objectClass`, `structuralObjectClass`, `objectClasses`), so that
    /// descriptors resolve to classes before attribute types.
    let valuesNameClasses: Bool

    init(
        id: Int, oid: String, names: [String], equality: MatchingRule?, ordering: MatchingRule?,
        substring: MatchingRule?, syntaxOID: String, syntax: AttributeSyntax?, syntaxLength: Int?,
        isSingleValued: Bool, isNoUserModification: Bool, isCollective: Bool, isObsolete: Bool,
        usage: AttributeUsage, superiors: [Int], valuesNameClasses: Bool
    ) {
        self.id = id
        self.oid = oid
        self.names = names
        self.equality = equality
        self.ordering = ordering
        self.substring = substring
        self.syntaxOID = syntaxOID
        self.syntax = syntax
        self.syntaxLength = syntaxLength
        self.isSingleValued = isSingleValued
        self.isNoUserModification = isNoUserModification
        self.isCollective = isCollective
        self.isObsolete = isObsolete
        self.usage = usage
        self.superiors = superiors
        self.valuesNameClasses = valuesNameClasses
    }

    /// The first name, or the OID for a type without a name.
    public var primaryName: String { names.first ?? oid }

    /// Whether the type is operational (USAGE other than `userApplications`).
    public var isOperational: Bool { usage.isOperational }

    /// Whether this type is the type `ancestor` or one of its subtypes.
    public func isSubtype(of ancestor: Int) -> Bool {
        id == ancestor || superiors.contains(ancestor)
    }
}

/// The schema resolved once for the hot paths: every attribute type with its OID, effective matching rules,
/// syntax, single-valued flag and usage; every object class with its inherited superclasses and attribute
/// lists. Entry validation (``validate(_:options:)``) and filter evaluation (``PreparedFilter``) use it and
/// never look a rule or a syntax up by name again.
///
/// Names and OIDs are interchangeable everywhere (`cn`, `CN`, `commonName` and `2.5.4.3` are one type).
/// Built once at start-up from a ``Schema`` and the matching-rule and syntax registries; read-only afterwards,
/// so it can be shared between tasks.
///
/// The context's matching rules are the given registry with distinguishedNameMatch and uniqueMemberMatch made
/// schema-aware: DN components compare under their own type's equality rule, and a type's names and OID are
/// one (`CN=Babs` ≡ `2.5.4.3=babs`). objectIdentifierMatch and objectIdentifierFirstComponentMatch resolve
/// descriptors to OIDs through the schema (`person` ≡ `2.5.6.6`), which the schema-less rules cannot.
public struct SchemaContext: Sendable {
    /// The schema the context was built from.
    public let schema: Schema
    /// The matching rules in use (the registry given, with schema-aware DN rules).
    public let matchingRules: MatchingRuleRegistry
    /// The syntaxes in use.
    public let syntaxes: SyntaxRegistry
    /// Every attribute type, indexed by ``CompiledAttributeType/id``.
    public let attributeTypes: [CompiledAttributeType]
    /// Every object class, indexed by ``CompiledObjectClass/id``.
    public let objectClasses: [CompiledObjectClass]

    /// Lower-cased names and OIDs → attribute type id.
    let attributeIndex: [String: Int]
    /// Lower-cased names and OIDs → object class id.
    let classIndex: [String: Int]
    /// Matching rule OID → ids of the attribute types the rule applies to (extensible match without a type).
    let typesByRule: [String: Set<Int>]
    /// The id of `objectClass` (2.5.4.0), if the schema defines it.
    let objectClassType: Int?
    /// The id of `extensibleObject` (1.3.6.1.4.1.1466.101.120.111), if the schema defines it.
    let extensibleObjectClass: Int?

    /// OID of `objectClass`.
    static let objectClassOID = "2.5.4.0"
    /// OID of `extensibleObject`.
    static let extensibleObjectOID = "1.3.6.1.4.1.1466.101.120.111"
    /// Types whose values name object classes: descriptors resolve to classes first.
    static let classValuedTypes: Set<String> = ["2.5.4.0", "2.5.21.9", "2.5.21.6"]

    /// Resolves `schema` against `matchingRules` and `syntaxes`. A rule or syntax a type names but the
    /// registries lack is left `nil` (start-up reports those through
    /// ``Schema/validateReferences(knownMatchingRules:knownSyntaxes:)``): values are then compared octet by octet
    /// and not syntax-checked.
    public init(
        schema: Schema,
        matchingRules: MatchingRuleRegistry = .builtIn,
        syntaxes: SyntaxRegistry = .builtIn
    ) {
        self.schema = schema
        self.syntaxes = syntaxes

        // Names and OIDs of attribute types → id, and the DN normaliser built on them.
        var attributeIndex: [String: Int] = [:]
        var componentRules: [String: MatchingRule] = [:]
        var canonicalNames: [String: String] = [:]
        for (id, definition) in schema.attributeTypes.enumerated() {
            let resolved = schema.resolvedAttributeType(named: definition.oid)
            let equality = resolved?.equality.flatMap { matchingRules[$0] }
            let canonical = Self.key(definition.primaryName)
            for name in [definition.oid] + definition.names {
                attributeIndex[Self.key(name)] = id
                canonicalNames[Self.key(name)] = canonical
                if let equality { componentRules[Self.key(name)] = equality }
            }
        }
        let rulesByName = componentRules
        let canonicalByName = canonicalNames
        let normalizer = SchemaDNNormalizer(
            equalityRule: { rulesByName[Self.key($0)] },
            canonicalType: { canonicalByName[Self.key($0)] }
        )
        let rules = matchingRules.withDNNormalizer(normalizer)
        self.matchingRules = rules
        self.attributeIndex = attributeIndex

        // Attribute types.
        var types: [CompiledAttributeType] = []
        types.reserveCapacity(schema.attributeTypes.count)
        for (id, definition) in schema.attributeTypes.enumerated() {
            // Every defined type has a resolved form; the fallback keeps ids aligned regardless.
            let resolved =
                schema.resolvedAttributeType(named: definition.oid)
                ?? ResolvedAttributeType(
                    definition: definition, superiorOIDs: [], equality: definition.equality,
                    ordering: definition.ordering, substring: definition.substring, syntax: definition.syntax ?? "",
                    syntaxLength: definition.syntaxLength)
            types.append(
                CompiledAttributeType(
                    id: id,
                    oid: definition.oid,
                    names: definition.names,
                    equality: resolved.equality.flatMap { rules[$0] },
                    ordering: resolved.ordering.flatMap { rules[$0] },
                    substring: resolved.substring.flatMap { rules[$0] },
                    syntaxOID: resolved.syntax,
                    syntax: syntaxes[resolved.syntax],
                    syntaxLength: resolved.syntaxLength,
                    isSingleValued: definition.isSingleValued,
                    isNoUserModification: definition.isNoUserModification,
                    isCollective: definition.isCollective,
                    isObsolete: definition.isObsolete,
                    usage: definition.usage,
                    superiors: resolved.superiorOIDs.compactMap { attributeIndex[Self.key($0)] },
                    valuesNameClasses: Self.classValuedTypes.contains(definition.oid)
                ))
        }
        self.attributeTypes = types

        // Object classes.
        var classIndex: [String: Int] = [:]
        for (id, definition) in schema.objectClasses.enumerated() {
            for name in [definition.oid] + definition.names {
                classIndex[Self.key(name)] = id
            }
        }
        self.classIndex = classIndex
        var classes: [CompiledObjectClass] = []
        classes.reserveCapacity(schema.objectClasses.count)
        for (id, definition) in schema.objectClasses.enumerated() {
            let superclasses = (schema.superclasses(of: definition.oid) ?? []).compactMap {
                classIndex[Self.key($0.oid)]
            }
            let required = (schema.requiredAttributes(of: definition.oid) ?? []).compactMap {
                attributeIndex[Self.key($0.oid)]
            }
            let optional = (schema.optionalAttributes(of: definition.oid) ?? []).compactMap {
                attributeIndex[Self.key($0.oid)]
            }
            classes.append(
                CompiledObjectClass(
                    id: id,
                    oid: definition.oid,
                    names: definition.names,
                    kind: definition.kind,
                    superclasses: superclasses,
                    required: required,
                    allowed: Set(required).union(optional),
                    ancestors: Set(superclasses)
                ))
        }
        self.objectClasses = classes
        self.objectClassType = attributeIndex[Self.objectClassOID]
        self.extensibleObjectClass = classIndex[Self.extensibleObjectOID]

        // Which types each rule applies to, for extensible matches that name a rule and no type.
        var typesByRule: [String: Set<Int>] = [:]
        for rule in rules.all {
            typesByRule[rule.oid] = Set(types.lazy.filter { Self.rule(rule, appliesTo: $0) }.map(\.id))
        }
        self.typesByRule = typesByRule
    }

    // MARK: - Look-ups

    /// The attribute type with this name (case-insensitive) or OID.
    public func attributeType(named name: String) -> CompiledAttributeType? {
        attributeTypeID(name).map { attributeTypes[$0] }
    }

    /// The object class with this name (case-insensitive) or OID.
    public func objectClass(named name: String) -> CompiledObjectClass? {
        classIndex[Self.key(name)].map { objectClasses[$0] }
    }

    /// The id of the attribute type with this name or OID.
    func attributeTypeID(_ name: String) -> Int? {
        attributeIndex[Self.key(name)]
    }

    /// The ids of the attribute types a matching rule applies to: those whose syntax is the rule's assertion
    /// syntax (for a substrings rule, the syntax of the values it reads), those that name the rule themselves,
    /// and, for the string rules, every type of a string syntax.
    public func attributeTypes(matchableBy rule: MatchingRule) -> [CompiledAttributeType] {
        (typesByRule[rule.oid] ?? []).sorted().map { attributeTypes[$0] }
    }

    /// ASCII lower case, without allocating when there is nothing to change (names and OIDs are ASCII).
    static func key(_ name: String) -> String {
        SchemaDNNormalizer.lowercasedASCII(name)
    }

    // MARK: - Rule applicability

    private static func ldapSyntax(_ number: Int) -> String { AttributeSyntax.ldapSyntaxPrefix + String(number) }

    /// Syntaxes whose values are character strings that the string rules can prepare.
    private static let stringSyntaxes: Set<String> = Set(
        [15, 26, 44, 36, 11, 50, 22, 52, 14].map(ldapSyntax))  // Directory, IA5, Printable, Numeric, Country,
    // Telephone, Facsimile, Telex, Delivery Method

    /// The syntax of the values a substrings rule reads (its `SYNTAX` is the Substring Assertion syntax).
    private static let substringsValueSyntax: [String: String] = [
        "2.5.13.4": ldapSyntax(15), "2.5.13.7": ldapSyntax(15), "2.5.13.10": ldapSyntax(36),
        "2.5.13.12": ldapSyntax(41), "2.5.13.21": ldapSyntax(50), "1.3.6.1.4.1.1466.109.114.3": ldapSyntax(26),
        "1.3.6.1.4.1.4203.1.2.1": ldapSyntax(26),
    ]

    static func rule(_ rule: MatchingRule, appliesTo type: CompiledAttributeType) -> Bool {
        if [type.equality, type.ordering, type.substring].contains(where: { $0?.oid == rule.oid }) { return true }
        let valueSyntax = rule.kind == .substrings ? substringsValueSyntax[rule.oid] : rule.syntaxOID
        guard let valueSyntax else { return false }
        if valueSyntax == type.syntaxOID { return true }
        let stringRule = valueSyntax == ldapSyntax(15) || valueSyntax == ldapSyntax(26)
        return stringRule && stringSyntaxes.contains(type.syntaxOID)
    }
}

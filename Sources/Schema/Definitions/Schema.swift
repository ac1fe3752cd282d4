/// The schema registry: attribute types and object classes read from schema files, with their references
/// resolved (RFC 4512 §2.4–2.5, §4.1).
///
/// Built once at start-up (`init(sources:)`, `init(files:)`, `init(directory:files:)`) and then read-only.
/// Lookups take a name (case-insensitive) or a numeric OID. Matching rules and syntaxes stay strings here;
/// `validateReferences(knownMatchingRules:knownSyntaxes:)` checks them against what the server implements.
public struct Schema: Sendable {
    /// The attribute types, in the order of the files and of the definitions in them.
    public let attributeTypes: [AttributeTypeDefinition]
    /// The object classes, in the order of the files and of the definitions in them.
    public let objectClasses: [ObjectClassDefinition]

    let attributeLocations: [SchemaSourceLocation]
    let classLocations: [SchemaSourceLocation]
    /// Lower-cased names and OIDs → index in `attributeTypes`.
    let attributeIndex: [String: Int]
    /// Lower-cased names and OIDs → index in `objectClasses`.
    let classIndex: [String: Int]
    /// Per attribute type: the resolved form.
    let resolved: [ResolvedAttributeType]
    /// Per attribute type: the indices of its direct subtypes.
    let directSubtypes: [[Int]]
    /// Per object class: the indices of its direct superclasses.
    let directSuperclasses: [[Int]]
    /// Per object class: the indices of its own MUST and MAY attribute types.
    let ownMust: [[Int]]
    let ownMay: [[Int]]

    /// An empty schema.
    public init() {
        self.init(
            attributeTypes: [], objectClasses: [], attributeLocations: [], classLocations: [],
            attributeIndex: [:], classIndex: [:], resolved: [], directSubtypes: [], directSuperclasses: [],
            ownMust: [], ownMay: []
        )
    }

    init(
        attributeTypes: [AttributeTypeDefinition],
        objectClasses: [ObjectClassDefinition],
        attributeLocations: [SchemaSourceLocation],
        classLocations: [SchemaSourceLocation],
        attributeIndex: [String: Int],
        classIndex: [String: Int],
        resolved: [ResolvedAttributeType],
        directSubtypes: [[Int]],
        directSuperclasses: [[Int]],
        ownMust: [[Int]],
        ownMay: [[Int]]
    ) {
        self.attributeTypes = attributeTypes
        self.objectClasses = objectClasses
        self.attributeLocations = attributeLocations
        self.classLocations = classLocations
        self.attributeIndex = attributeIndex
        self.classIndex = classIndex
        self.resolved = resolved
        self.directSubtypes = directSubtypes
        self.directSuperclasses = directSuperclasses
        self.ownMust = ownMust
        self.ownMay = ownMay
    }

    // MARK: - Attribute types

    /// The attribute type with this name (case-insensitive) or numeric OID.
    public func attributeType(named name: String) -> AttributeTypeDefinition? {
        attributeIndex[name.lowercased()].map { attributeTypes[$0] }
    }

    /// The attribute type with this name or OID, with the rules and syntax it inherits.
    public func resolvedAttributeType(named name: String) -> ResolvedAttributeType? {
        attributeIndex[name.lowercased()].map { resolved[$0] }
    }

    /// Where the attribute type with this name or OID was defined.
    public func location(ofAttributeType name: String) -> SchemaSourceLocation? {
        attributeIndex[name.lowercased()].map { attributeLocations[$0] }
    }

    /// The subtypes of an attribute type, direct and indirect, in definition order; `nil` for an unknown type.
    /// A filter on `name` also matches these (RFC 4512 §2.5.1): `subtypes(of: "name")` includes `cn` and `sn`.
    public func subtypes(of name: String) -> [AttributeTypeDefinition]? {
        guard let start = attributeIndex[name.lowercased()] else { return nil }
        var found: Set<Int> = []
        var pending = directSubtypes[start]
        while let next = pending.popLast() {
            if found.insert(next).inserted { pending += directSubtypes[next] }
        }
        return found.sorted().map { attributeTypes[$0] }
    }

    /// Whether `name` is `ancestor` or one of its subtypes (both by name or OID); false if either is unknown.
    public func isAttributeType(_ name: String, subtypeOf ancestor: String) -> Bool {
        guard let index = attributeIndex[name.lowercased()], let target = attributeIndex[ancestor.lowercased()] else {
            return false
        }
        return index == target || resolved[index].superiorOIDs.contains(attributeTypes[target].oid)
    }

    // MARK: - Object classes

    /// The object class with this name (case-insensitive) or numeric OID.
    public func objectClass(named name: String) -> ObjectClassDefinition? {
        classIndex[name.lowercased()].map { objectClasses[$0] }
    }

    /// Where the object class with this name or OID was defined.
    public func location(ofObjectClass name: String) -> SchemaSourceLocation? {
        classIndex[name.lowercased()].map { classLocations[$0] }
    }

    /// The superclasses of a class, direct and indirect, each once, nearest first (breadth-first over `SUP`);
    /// `nil` for an unknown class. For `inetOrgPerson`: organizationalPerson, person, top.
    public func superclasses(of name: String) -> [ObjectClassDefinition]? {
        guard let start = classIndex[name.lowercased()] else { return nil }
        return superclassIndices(of: start).map { objectClasses[$0] }
    }

    /// Whether `name` is `ancestor` or derives from it (both by name or OID); false if either is unknown.
    public func isObjectClass(_ name: String, subclassOf ancestor: String) -> Bool {
        guard let index = classIndex[name.lowercased()], let target = classIndex[ancestor.lowercased()] else {
            return false
        }
        return index == target || superclassIndices(of: index).contains(target)
    }

    /// Every attribute type the class requires, its own `MUST` first, then each superclass's, each once;
    /// `nil` for an unknown class.
    public func requiredAttributes(of name: String) -> [AttributeTypeDefinition]? {
        guard let start = classIndex[name.lowercased()] else { return nil }
        return collect(ownMust, from: start, excluding: []).map { attributeTypes[$0] }
    }

    /// Every attribute type the class allows but does not require, its own `MAY` first, then each
    /// superclass's, each once; an attribute required anywhere in the chain is left out (it is in
    /// `requiredAttributes`). `nil` for an unknown class.
    public func optionalAttributes(of name: String) -> [AttributeTypeDefinition]? {
        guard let start = classIndex[name.lowercased()] else { return nil }
        let required = Set(collect(ownMust, from: start, excluding: []))
        return collect(ownMay, from: start, excluding: required).map { attributeTypes[$0] }
    }

    private func superclassIndices(of start: Int) -> [Int] {
        var order: [Int] = []
        var seen: Set<Int> = [start]
        var queue = directSuperclasses[start]
        var position = 0
        while position < queue.count {
            let next = queue[position]
            position += 1
            guard seen.insert(next).inserted else { continue }
            order.append(next)
            queue += directSuperclasses[next]
        }
        return order
    }

    private func collect(_ lists: [[Int]], from start: Int, excluding: Set<Int>) -> [Int] {
        var result: [Int] = []
        var seen = excluding
        for classIndex in [start] + superclassIndices(of: start) {
            for attribute in lists[classIndex] where seen.insert(attribute).inserted {
                result.append(attribute)
            }
        }
        return result
    }
}

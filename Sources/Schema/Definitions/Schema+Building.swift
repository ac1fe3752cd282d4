extension Schema {
    /// Builds a schema from files' texts, read in order (macros and definitions of earlier files are visible
    /// to later ones; a `SUP`, `MUST` or `MAY` may also name a definition further on).
    ///
    /// - Throws: the first problem found, with its file and line: syntax errors first, in reading order, then
    ///   duplicate OIDs and names, then unresolved references, kind and usage rules, and `SUP` cycles.
    public init(sources: [SchemaSource]) throws(SchemaError) {
        var parser = SchemaFileParser()
        var attributes: [(AttributeTypeDefinition, SchemaSourceLocation)] = []
        var classes: [(ObjectClassDefinition, SchemaSourceLocation)] = []
        for source in sources {
            for statement in try parser.parse(source) {
                switch statement {
                case .attributeType(let definition, let location): attributes.append((definition, location))
                case .objectClass(let definition, let location): classes.append((definition, location))
                }
            }
        }
        self = try SchemaBuilder(attributes: attributes, classes: classes).build()
    }
}

/// Checks and indexes parsed definitions.
struct SchemaBuilder {
    let attributes: [(definition: AttributeTypeDefinition, location: SchemaSourceLocation)]
    let classes: [(definition: ObjectClassDefinition, location: SchemaSourceLocation)]

    init(
        attributes: [(AttributeTypeDefinition, SchemaSourceLocation)],
        classes: [(ObjectClassDefinition, SchemaSourceLocation)]
    ) {
        self.attributes = attributes.map { (definition: $0.0, location: $0.1) }
        self.classes = classes.map { (definition: $0.0, location: $0.1) }
    }

    func build() throws(SchemaError) -> Schema {
        // OIDs are unique across both kinds; names are unique within each kind (as in OpenLDAP).
        var oidOwners: [String: SchemaSourceLocation] = [:]
        var attributeIndex: [String: Int] = [:]
        for (index, item) in attributes.enumerated() {
            try register(item.definition.oid, names: item.definition.names, index: index, location: item.location,
                         oidOwners: &oidOwners, nameIndex: &attributeIndex, locations: attributes.map(\.location))
        }
        var classIndex: [String: Int] = [:]
        for (index, item) in classes.enumerated() {
            try register(item.definition.oid, names: item.definition.names, index: index, location: item.location,
                         oidOwners: &oidOwners, nameIndex: &classIndex, locations: classes.map(\.location))
        }

        // Attribute types: direct references and local rules.
        var superiorIndex: [Int?] = []
        for item in attributes {
            let definition = item.definition
            let name = definition.primaryName
            if definition.isCollective, definition.usage != .userApplications {
                throw SchemaError(.collectiveOperational(name), at: item.location)
            }
            if definition.isNoUserModification, definition.usage == .userApplications {
                throw SchemaError(.noUserModificationOnUserAttribute(name), at: item.location)
            }
            guard let superior = definition.superior else {
                if definition.syntax == nil { throw SchemaError(.missingSyntax(name), at: item.location) }
                superiorIndex.append(nil)
                continue
            }
            guard let target = attributeIndex[superior.lowercased()] else {
                throw SchemaError(.unknownSuperiorAttributeType(superior, of: name), at: item.location)
            }
            let superiorUsage = attributes[target].definition.usage
            if superiorUsage != definition.usage {
                throw SchemaError(
                    .usageDiffersFromSuperior(
                        name, usage: definition.usage, superior: superior, superiorUsage: superiorUsage
                    ),
                    at: item.location
                )
            }
            superiorIndex.append(target)
        }
        for start in attributes.indices {
            try checkNoCycle(from: start, next: { superiorIndex[$0].map { [$0] } ?? [] },
                             name: { attributes[$0].definition.primaryName }, location: attributes[start].location)
        }

        // Object classes: direct references, kinds, attribute lists.
        var superclassIndices: [[Int]] = []
        var ownMust: [[Int]] = []
        var ownMay: [[Int]] = []
        for item in classes {
            let definition = item.definition
            let name = definition.primaryName
            var supers: [Int] = []
            for superior in definition.superiors {
                guard let target = classIndex[superior.lowercased()] else {
                    throw SchemaError(.unknownSuperiorObjectClass(superior, of: name), at: item.location)
                }
                let superiorKind = classes[target].definition.kind
                guard definition.kind.mayDerive(from: superiorKind) else {
                    throw SchemaError(
                        .incompatibleSuperclassKind(
                            objectClass: name, kind: definition.kind, superior: superior, superiorKind: superiorKind
                        ),
                        at: item.location
                    )
                }
                supers.append(target)
            }
            superclassIndices.append(supers)
            ownMust.append(
                try attributeList(definition.mustAttributes, "MUST", of: name, item.location, attributeIndex)
            )
            ownMay.append(
                try attributeList(definition.mayAttributes, "MAY", of: name, item.location, attributeIndex)
            )
        }
        for start in classes.indices {
            try checkNoCycle(from: start, next: { superclassIndices[$0] },
                             name: { classes[$0].definition.primaryName }, location: classes[start].location)
        }

        // Resolution, now that chains are known to end.
        var resolved: [ResolvedAttributeType] = []
        var subtypes = Array(repeating: [Int](), count: attributes.count)
        for (index, item) in attributes.enumerated() {
            var chain: [Int] = []
            var cursor = superiorIndex[index]
            while let next = cursor {
                chain.append(next)
                cursor = superiorIndex[next]
            }
            if let direct = superiorIndex[index] { subtypes[direct].append(index) }
            let lineage = [item.definition] + chain.map { attributes[$0].definition }
            let syntaxSource = lineage.first { $0.syntax != nil }
            resolved.append(
                ResolvedAttributeType(
                    definition: item.definition,
                    superiorOIDs: chain.map { attributes[$0].definition.oid },
                    equality: lineage.lazy.compactMap(\.equality).first,
                    ordering: lineage.lazy.compactMap(\.ordering).first,
                    substring: lineage.lazy.compactMap(\.substring).first,
                    syntax: syntaxSource?.syntax ?? "",
                    syntaxLength: syntaxSource?.syntaxLength
                )
            )
        }

        return Schema(
            attributeTypes: attributes.map(\.definition),
            objectClasses: classes.map(\.definition),
            attributeLocations: attributes.map(\.location),
            classLocations: classes.map(\.location),
            attributeIndex: attributeIndex,
            classIndex: classIndex,
            resolved: resolved,
            directSubtypes: subtypes,
            directSuperclasses: superclassIndices,
            ownMust: ownMust,
            ownMay: ownMay
        )
    }

    private func register(
        _ oid: String,
        names: [String],
        index: Int,
        location: SchemaSourceLocation,
        oidOwners: inout [String: SchemaSourceLocation],
        nameIndex: inout [String: Int],
        locations: [SchemaSourceLocation]
    ) throws(SchemaError) {
        if let previous = oidOwners[oid] {
            throw SchemaError(.duplicateOID(oid, previous: previous), at: location)
        }
        oidOwners[oid] = location
        nameIndex[oid] = index
        for name in names {
            if let previous = nameIndex[name.lowercased()] {
                throw SchemaError(.duplicateName(name, previous: locations[previous]), at: location)
            }
            nameIndex[name.lowercased()] = index
        }
    }

    private func attributeList(
        _ names: [String],
        _ list: String,
        of className: String,
        _ location: SchemaSourceLocation,
        _ attributeIndex: [String: Int]
    ) throws(SchemaError) -> [Int] {
        var indices: [Int] = []
        for name in names {
            guard let index = attributeIndex[name.lowercased()] else {
                throw SchemaError(.unknownAttributeType(name, in: list, of: className), at: location)
            }
            indices.append(index)
        }
        return indices
    }

    /// Depth-first walk from `start`; a node met again on the current path is a cycle.
    private func checkNoCycle(
        from start: Int,
        next: (Int) -> [Int],
        name: (Int) -> String,
        location: SchemaSourceLocation
    ) throws(SchemaError) {
        var path: [Int] = []
        var finished: Set<Int> = []
        func visit(_ node: Int) throws(SchemaError) {
            if let position = path.firstIndex(of: node) {
                let cycle = (path[position...] + [node]).map(name)
                throw SchemaError(.superiorChainCycle(Array(cycle)), at: location)
            }
            guard !finished.contains(node) else { return }
            path.append(node)
            for successor in next(node) { try visit(successor) }
            path.removeLast()
            finished.insert(node)
        }
        try visit(start)
    }
}

import LDAPProtocol

/// Entry validation against the schema, for every write path (Add, Modify, ModifyDN, LDIF import).
extension SchemaContext {
    /// The first way `entry` breaks the schema, or `nil` when it conforms. In order:
    ///
    /// 1. each attribute description: its type is defined (else undefinedAttributeType, as is an empty
    ///    option in `cn;`); it has values (else constraintViolation); with
    ///    ``EntryValidationOptions/refusesNoUserModification``, its type is not NO-USER-MODIFICATION (else
    ///    constraintViolation);
    /// 2. each value: valid for the syntax (else invalidAttributeSyntax naming the value's position from 0 and
    ///    the syntax's reason) and for the equality rule; not longer than the syntax's length bound
    ///    (constraintViolation, see below); not equal under the equality rule to another value of the same
    ///    attribute — octet by octet without an equality rule — (attributeOrValueExists); at most one value for
    ///    a SINGLE-VALUE type (constraintViolation). Descriptions with the same type and options (`cn`,
    ///    `2.5.4.3`, `commonName`) are one attribute; `cn;lang-fr` is another;
    /// 3. object classes: an `objectClass` attribute, every value a defined class (objectClassViolation);
    ///    superclasses implied (listing `inetOrgPerson` alone also makes the entry `person` and `top`); exactly
    ///    one structural superclass chain (none, for instance abstract or auxiliary classes only, or two
    ///    unrelated structural classes: objectClassViolation); auxiliary classes are allowed with any
    ///    structural class (there are no DIT content rules);
    /// 4. every `MUST` attribute of every class present (objectClassViolation naming the most specific
    ///    class that requires it); an attribute with options (`cn;lang-fr`) counts as its type;
    /// 5. every user attribute in some class's `MUST` or `MAY`, unless the entry is an `extensibleObject`
    ///    (objectClassViolation). Operational attributes (USAGE other than userApplications) are managed by
    ///    the server and not subject to `MUST`/`MAY`;
    /// 6. each component of the RDN: a defined type with an equality rule, whose value is among the entry's
    ///    values of that type (without options) under the rule (namingViolation).
    ///
    /// Length bounds: RFC 4512 calls `{len}` a suggested minimum upper bound; the server enforces it as a
    /// maximum, counted in characters (Unicode scalars) for human-readable syntaxes whose value is UTF-8 and
    /// in octets otherwise, and reports a longer value as constraintViolation (a size limit, not a malformed
    /// value). ``EntryValidationOptions/enforcesLengthBounds`` turns this off.
    public func validate(_ entry: Entry, options: EntryValidationOptions = .clientWrite) -> EntryViolation? {
        do {
            try check(entry, options: options)
            return nil
        } catch {
            return error
        }
    }

    /// The entry's structural object class (the most specific class of its one structural chain), as the
    /// server stores it in `structuralObjectClass`; throws objectClassViolation as ``validate(_:options:)``
    /// does when the object classes are wrong.
    public func structuralObjectClass(of entry: Entry) throws(EntryViolation) -> CompiledObjectClass {
        let classes = try resolveObjectClasses(
            of: entry, types: entry.attributes.map { attributeType(named: $0.description.type) })
        return objectClasses[classes.structural]
    }

    // MARK: - Implementation

    private struct GroupKey: Hashable {
        var type: Int
        var options: [String]
    }

    private struct ResolvedClasses {
        /// The classes listed, each once, in order.
        var listed: [Int]
        /// The listed classes and all their superclasses.
        var closure: Set<Int>
        /// The most specific structural class.
        var structural: Int
    }

    private func check(_ entry: Entry, options: EntryValidationOptions) throws(EntryViolation) {
        // 1. Descriptions.
        var types: [CompiledAttributeType] = []
        types.reserveCapacity(entry.attributes.count)
        for attribute in entry.attributes {
            let name = attribute.description.description
            guard let type = attributeType(named: attribute.description.type) else { throw .undefinedType(name) }
            guard attribute.description.options.allSatisfy(Self.isValidOption) else { throw .invalidOption(name) }
            guard !attribute.values.isEmpty else { throw .noValues(name) }
            if options.refusesNoUserModification && type.isNoUserModification { throw .noUserModification(name) }
            types.append(type)
        }

        // 2. Values.
        var seen: [GroupKey: [[UInt8]: Int]] = [:]
        var groupOrder: [(key: GroupKey, name: String, type: CompiledAttributeType)] = []
        for (attribute, type) in zip(entry.attributes, types) {
            let name = attribute.description.description
            let key = GroupKey(type: type.id, options: attribute.description.options.map(Self.key).sorted())
            if seen[key] == nil { groupOrder.append((key, name, type)) }
            var values = seen[key] ?? [:]
            for (index, value) in attribute.values.enumerated() {
                if let syntax = type.syntax, let violation = syntax.validate(value) {
                    throw .invalidSyntax(attribute: name, index: index, value: value, violation: violation)
                }
                if options.enforcesLengthBounds, let bound = type.syntaxLength {
                    let (length, unit) = Self.length(of: value, humanReadable: type.syntax?.isHumanReadable ?? true)
                    if length > bound {
                        throw .tooLong(attribute: name, index: index, length: length, unit: unit, bound: bound)
                    }
                }
                var normalized = value
                if let rule = type.equality {
                    do {
                        normalized = try normalize(value, rule: rule, of: type)
                    } catch {
                        throw .invalidForRule(attribute: name, index: index, value: value, error: error)
                    }
                }
                if let earlier = values[normalized] {
                    throw .duplicate(
                        attribute: name, index: index, value: value, earlier: earlier,
                        rule: type.equality?.name ?? "octet comparison")
                }
                values[normalized] = index
            }
            seen[key] = values
        }
        for group in groupOrder where group.type.isSingleValued {
            let count = seen[group.key]?.count ?? 0
            if count > 1 { throw .singleValued(group.name, count: count) }
        }

        // 3. Object classes.
        let classes = try resolveObjectClasses(of: entry, types: types)

        // 4. MUST.
        let present = Set(types.lazy.map(\.id))
        var checked: Set<Int> = []
        for classID in [classes.structural] + classes.listed {
            let objectClass = objectClasses[classID]
            for required in objectClass.required where checked.insert(required).inserted {
                if !present.contains(required) {
                    throw .missingRequired(
                        objectClass: objectClass.primaryName, attribute: attributeTypes[required].primaryName)
                }
            }
        }

        // 5. MAY.
        if extensibleObjectClass.map({ !classes.closure.contains($0) }) ?? true {
            var allowed: Set<Int> = []
            for classID in classes.closure { allowed.formUnion(objectClasses[classID].allowed) }
            for (attribute, type) in zip(entry.attributes, types) where !type.isOperational {
                if !allowed.contains(type.id) { throw .notAllowed(attribute.description.description) }
            }
        }

        // 6. RDN.
        for component in entry.dn.rdn?.attributes ?? [] {
            guard let type = attributeType(named: component.type) else { throw .rdnUndefinedType(component.type) }
            guard let rule = type.equality else { throw .rdnWithoutEquality(component.type) }
            let value = Self.assertedValue(of: component)
            let normalized: [UInt8]
            do {
                normalized = try normalize(value, rule: rule, of: type)
            } catch {
                throw .rdnInvalidValue(component.type, value: value, error: error)
            }
            if seen[GroupKey(type: type.id, options: [])]?[normalized] == nil {
                throw .rdnValueMissing(component.type, value: value)
            }
        }
    }

    /// Resolves the `objectClass` values and finds the one structural chain.
    private func resolveObjectClasses(of entry: Entry, types: [CompiledAttributeType?]) throws(EntryViolation)
        -> ResolvedClasses
    {
        var listed: [Int] = []
        var closure: Set<Int> = []
        var found = false
        for (attribute, type) in zip(entry.attributes, types) where type != nil && type?.id == objectClassType {
            found = true
            for (index, value) in attribute.values.enumerated() {
                let name = String(decoding: value, as: UTF8.self)
                guard let id = classIndex[Self.key(name.trimmingSpaces)] else {
                    throw .unknownClass(name, index: index)
                }
                if closure.insert(id).inserted { listed.append(id) }
            }
        }
        guard found else { throw .noObjectClass }
        for id in listed { closure.formUnion(objectClasses[id].superclasses) }
        let structural = closure.filter { objectClasses[$0].kind == .structural }
            .sorted { (objectClasses[$0].superclasses.count, $1) > (objectClasses[$1].superclasses.count, $0) }
        guard let candidate = structural.first else {
            throw .noStructuralClass(listed.map { objectClasses[$0].primaryName })
        }
        let chain = objectClasses[candidate]
        for other in structural.dropFirst() where !chain.ancestors.contains(other) {
            throw .twoStructuralChains(chain.primaryName, objectClasses[other].primaryName)
        }
        return ResolvedClasses(listed: listed, closure: closure, structural: candidate)
    }

    /// `option = 1*keychar` (RFC 4512 §2.5).
    private static func isValidOption(_ option: String) -> Bool {
        !option.isEmpty
            && option.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
            }
    }

    /// The length a syntax bound limits: characters of a UTF-8 value of a human-readable syntax, else octets.
    private static func length(of value: [UInt8], humanReadable: Bool) -> (Int, String) {
        if humanReadable, let text = String(validating: value, as: UTF8.self) {
            return (text.unicodeScalars.count, "characters")
        }
        return (value.count, "octets")
    }
}

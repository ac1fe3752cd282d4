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
    /// 3. object classes: an `objectClass` attribute (objectClassViolation), every value a defined class
    ///    (invalidAttributeSyntax, as slapd answers);
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
            _ = try check(entry, options: options)
            return nil
        } catch {
            return error
        }
    }

    /// Validates `entry` as ``validate(_:options:)`` does, throwing the same violation, and returns what the
    /// validation resolved on the way, so that a caller indexing the entry does not resolve it again.
    package func validatedAttributes(_ entry: Entry, options: EntryValidationOptions) throws(EntryViolation)
        -> ValidatedAttributes
    {
        try check(entry, options: options)
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

    /// The values of one attribute type with one set of options (`cn`, `2.5.4.3` and `commonName` are one).
    private struct ValueGroup {
        let type: CompiledAttributeType
        /// The options, lower-cased and sorted.
        let options: [String]
        /// The description first seen, for messages.
        let name: String
        /// The equality-normalised values, each with its position in its attribute.
        private var values: [(normalized: [UInt8], index: Int)] = []
        /// `values` by normalised value, once the group is large.
        private var lookup: [[UInt8]: Int]? = nil

        init(type: CompiledAttributeType, options: [String], name: String) {
            self.type = type
            self.options = options
            self.name = name
        }

        var count: Int { values.count }

        /// The position of the value equal to `normalized`, if any.
        func index(of normalized: [UInt8]) -> Int? {
            if let lookup { return lookup[normalized] }
            return values.first(where: { $0.normalized == normalized })?.index
        }

        mutating func add(_ normalized: [UInt8], index: Int) {
            values.append((normalized, index))
            if lookup != nil {
                lookup?[normalized] = index
            } else if values.count > 16 {
                lookup = Dictionary(
                    values.lazy.map { ($0.normalized, $0.index) }, uniquingKeysWith: { first, _ in first })
            }
        }
    }

    private struct ResolvedClasses {
        /// The classes listed, each once, in order.
        var listed: [Int]
        /// The listed classes and all their superclasses.
        var closure: Set<Int>
        /// The most specific structural class.
        var structural: Int
    }

    private func check(_ entry: Entry, options: EntryValidationOptions) throws(EntryViolation) -> ValidatedAttributes {
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

        // 2. Values. Groups are found by linear search and duplicates by comparison: an entry has a few dozen
        // attributes of a few values, for which hashing costs more (a group of many values gets a dictionary).
        var groups: [ValueGroup] = []
        var normalizedValues: [[[UInt8]]] = []
        normalizedValues.reserveCapacity(entry.attributes.count)
        for (attribute, type) in zip(entry.attributes, types) {
            let name = attribute.description.description
            let optionKeys =
                attribute.description.options.isEmpty ? [] : attribute.description.options.map(Self.key).sorted()
            let groupIndex: Int
            if let found = groups.firstIndex(where: { $0.type.id == type.id && $0.options == optionKeys }) {
                groupIndex = found
            } else {
                groups.append(ValueGroup(type: type, options: optionKeys, name: name))
                groupIndex = groups.count - 1
            }
            var normalizedOfAttribute: [[UInt8]] = []
            normalizedOfAttribute.reserveCapacity(attribute.values.count)
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
                if let earlier = groups[groupIndex].index(of: normalized) {
                    throw .duplicate(
                        attribute: name, index: index, value: value, earlier: earlier,
                        rule: type.equality?.name ?? "octet comparison")
                }
                groups[groupIndex].add(normalized, index: index)
                normalizedOfAttribute.append(normalized)
            }
            normalizedValues.append(normalizedOfAttribute)
        }
        for group in groups where group.type.isSingleValued {
            if group.count > 1 { throw .singleValued(group.name, count: group.count) }
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
            let closure = Array(classes.closure)
            for (attribute, type) in zip(entry.attributes, types) where !type.isOperational {
                if !closure.contains(where: { objectClasses[$0].allowed.contains(type.id) }) {
                    throw .notAllowed(attribute.description.description)
                }
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
            if groups.first(where: { $0.type.id == type.id && $0.options.isEmpty })?.index(of: normalized) == nil {
                throw .rdnValueMissing(component.type, value: value)
            }
        }
        return ValidatedAttributes(types: types, normalized: normalizedValues)
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

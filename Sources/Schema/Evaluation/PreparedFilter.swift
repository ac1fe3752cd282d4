import LDAPProtocol

/// A search filter compiled once per search against a ``SchemaContext``, then evaluated on each candidate
/// entry: attribute descriptions resolved to type ids, matching rules chosen, assertion values normalised,
/// so an entry costs only the normalisation of the values the filter reads.
///
/// Semantics (RFC 4511 §4.5.1.7, three-valued):
/// - equality and approx (no approximate rules: the equality rule) compare under the type's equality rule;
///   `>=`, `<=` under its ordering rule; substrings under its substring rule; a missing rule, an unknown
///   type or an assertion value the rule refuses makes the item Undefined;
/// - an item on a type also reads its subtypes (`(name=x)` reads `cn`, `sn`…); an item with options
///   (`cn;lang-fr=x`) reads only attributes whose description carries them;
/// - `(attr=*)` is TRUE when the type or a subtype is present, FALSE for an unknown type, and `(objectClass=*)`
///   is always TRUE; `(objectClass=person)` also matches entries of subclasses of `person` (as OpenLDAP's
///   objectSubClassMatch does), class names and OIDs being interchangeable;
/// - extensibleMatch with a rule and a type uses the rule on the type and subtypes (Undefined when the rule
///   does not apply to the type), with a type only the type's equality rule, with a rule only every attribute
///   the rule applies to (``SchemaContext/attributeTypes(matchableBy:)``); an ordering rule is TRUE when a
///   value sorts before the assertion; `dnAttributes` also tests the AVAs of every RDN of the entry's DN;
/// - NOT, AND and OR combine as ``FilterResult`` describes; `(&)` is TRUE and `(|)` FALSE (RFC 4526).
///
/// Stored values that their rule cannot normalise match nothing. Compiling recurses once per nesting level;
/// levels below `maximumDepth` (the decoder refuses deeper filters long before) evaluate to Undefined.
public struct PreparedFilter: Sendable {
    /// The nesting depth beyond which a subfilter is Undefined.
    public static let defaultMaximumDepth = 128

    let context: SchemaContext
    let root: PreparedFilterNode

    /// Compiles `filter` against `context`.
    public init(_ filter: Filter, context: SchemaContext, maximumDepth: Int = PreparedFilter.defaultMaximumDepth) {
        self.context = context
        self.root = context.compile(filter, depth: 1, maximumDepth: maximumDepth)
    }

    /// The filter's three-valued result on `entry`.
    public func evaluate(_ entry: Entry) -> FilterResult {
        if case .constant(let result) = root { return result }
        var types: [Int?] = []
        types.reserveCapacity(entry.attributes.count)
        for attribute in entry.attributes {
            types.append(context.attributeTypeID(attribute.description.type))
        }
        return evaluate(root, entry, types)
    }

    /// Whether the filter is TRUE for `entry` (the entry is returned by the search).
    public func matches(_ entry: Entry) -> Bool {
        evaluate(entry) == .true
    }

    private func evaluate(_ node: PreparedFilterNode, _ entry: Entry, _ types: [Int?])
        -> FilterResult
    {
        switch node {
        case .constant(let result):
            return result
        case .and(let children):
            var result = FilterResult.true
            for child in children {
                switch evaluate(child, entry, types) {
                case .false: return .false
                case .undefined: result = .undefined
                case .true: break
                }
            }
            return result
        case .or(let children):
            var result = FilterResult.false
            for child in children {
                switch evaluate(child, entry, types) {
                case .true: return .true
                case .undefined: result = .undefined
                case .false: break
                }
            }
            return result
        case .not(let child):
            return !evaluate(child, entry, types)
        case .item(let item):
            return FilterResult(matches(item, entry, types))
        }
    }

    private func matches(_ item: PreparedFilterItem, _ entry: Entry, _ types: [Int?]) -> Bool {
        for (attribute, type) in zip(entry.attributes, types) {
            guard let type, item.accepts(context.attributeTypes[type]) else { continue }
            if !item.options.isEmpty {
                let options = attribute.description.options.map(SchemaContext.key)
                guard item.options.allSatisfy(options.contains) else { continue }
            }
            if case .present = item.test { return true }
            for value in attribute.values where test(item, value, type) { return true }
        }
        guard item.dnAttributes, item.options.isEmpty else { return false }
        for rdn in entry.dn.rdns {
            for component in rdn.attributes {
                guard let type = context.attributeTypeID(component.type), item.accepts(context.attributeTypes[type])
                else {
                    continue
                }
                if test(item, SchemaContext.assertedValue(of: component), type) { return true }
            }
        }
        return false
    }

    private func test(_ item: PreparedFilterItem, _ value: [UInt8], _ type: Int) -> Bool {
        if case .objectClass(let ancestor) = item.test,
            let id = context.classIndex[SchemaContext.key(String(decoding: value, as: UTF8.self))]
        {
            // The common case, a class named as the schema spells it, without normalising.
            return context.objectClasses[id].isSubclass(of: ancestor)
        }
        guard let rule = item.rule,
            let normalized = try? context.normalize(
                value, rule: rule, namesClasses: context.attributeTypes[type].valuesNameClasses)
        else {
            return false
        }
        switch item.test {
        case .present:
            return true
        case .equal(let assertion):
            return normalized == assertion
        case .objectClass(let ancestor):
            guard let id = context.classIndex[String(decoding: normalized, as: UTF8.self)] else { return false }
            return context.objectClasses[id].isSubclass(of: ancestor)
        case .lessThan(let assertion):
            return normalized.lexicographicallyPrecedes(assertion)
        case .greaterOrEqual(let assertion):
            return !normalized.lexicographicallyPrecedes(assertion)
        case .lessOrEqual(let assertion):
            return !assertion.lexicographicallyPrecedes(normalized)
        case .substrings(let initial, let any, let final):
            return MatchingRule.substringsMatch(normalizedValue: normalized, initial: initial, any: any, final: final)
        }
    }
}

import LDAPProtocol
import NIOCore

/// Filter evaluation: compiling a ``Filter`` into a ``PreparedFilter``.
extension SchemaContext {
    /// The three-valued result of `filter` on `entry` (RFC 4511 §4.5.1.7); see ``PreparedFilter`` for the
    /// semantics. A search evaluating one filter on many entries should prepare it once with ``prepare(_:)``.
    public func evaluate(_ filter: Filter, on entry: Entry) -> FilterResult {
        PreparedFilter(filter, context: self).evaluate(entry)
    }

    /// `filter` compiled for repeated evaluation.
    public func prepare(_ filter: Filter) -> PreparedFilter {
        PreparedFilter(filter, context: self)
    }

    func compile(_ filter: Filter, depth: Int, maximumDepth: Int) -> PreparedFilterNode {
        guard depth <= maximumDepth else { return .constant(.undefined) }
        switch filter {
        case .and(let children):
            return .and(children.map { compile($0, depth: depth + 1, maximumDepth: maximumDepth) })
        case .or(let children):
            return .or(children.map { compile($0, depth: depth + 1, maximumDepth: maximumDepth) })
        case .not(let child):
            return .not(compile(child, depth: depth + 1, maximumDepth: maximumDepth))
        case .equalityMatch(let assertion), .approxMatch(let assertion):
            return compileEquality(assertion)
        case .greaterOrEqual(let assertion):
            return compileOrdering(assertion, greater: true)
        case .lessOrEqual(let assertion):
            return compileOrdering(assertion, greater: false)
        case .substrings(let substrings):
            return compileSubstrings(substrings)
        case .present(let description):
            return compilePresent(description)
        case .extensibleMatch(let assertion):
            return compileExtensible(assertion)
        }
    }

    // MARK: - Items

    private func compileEquality(_ assertion: AttributeValueAssertion) -> PreparedFilterNode {
        guard let (type, options) = target(assertion.attributeDescription), let rule = type.equality,
            let value = try? normalize(Self.bytes(assertion.assertionValue), rule: rule, of: type, assertion: true)
        else {
            return .constant(.undefined)
        }
        var test = PreparedFilterItem.Test.equal(value)
        if type.id == objectClassType, let classID = classIndex[String(decoding: value, as: UTF8.self)] {
            test = .objectClass(classID)
        }
        return .item(
            PreparedFilterItem(
                types: .subtypes(of: type.id), options: options, rule: rule, test: test, dnAttributes: false))
    }

    private func compileOrdering(_ assertion: AttributeValueAssertion, greater: Bool) -> PreparedFilterNode {
        guard let (type, options) = target(assertion.attributeDescription), let rule = type.ordering,
            let value = try? normalize(Self.bytes(assertion.assertionValue), rule: rule, of: type, assertion: true)
        else {
            return .constant(.undefined)
        }
        return .item(
            PreparedFilterItem(
                types: .subtypes(of: type.id), options: options, rule: rule,
                test: greater ? .greaterOrEqual(value) : .lessOrEqual(value), dnAttributes: false))
    }

    private func compileSubstrings(_ filter: SubstringFilter) -> PreparedFilterNode {
        guard let (type, options) = target(filter.attributeDescription), let rule = type.substring,
            let test = substringsTest(
                rule: rule, initial: filter.initial.map(Self.bytes), any: filter.any.map(Self.bytes),
                final: filter.final.map(Self.bytes))
        else {
            return .constant(.undefined)
        }
        return .item(
            PreparedFilterItem(
                types: .subtypes(of: type.id), options: options, rule: rule, test: test, dnAttributes: false))
    }

    private func compilePresent(_ description: ByteBuffer) -> PreparedFilterNode {
        // RFC 4511 §4.5.1.7.5: FALSE, not Undefined, for an attribute description the server does not know.
        guard let (type, options) = target(description) else { return .constant(.false) }
        if type.id == objectClassType && options.isEmpty { return .constant(.true) }
        return .item(
            PreparedFilterItem(
                types: .subtypes(of: type.id), options: options, rule: nil, test: .present, dnAttributes: false))
    }

    private func compileExtensible(_ assertion: MatchingRuleAssertion) -> PreparedFilterNode {
        var typed: (type: CompiledAttributeType, options: [String])?
        if let description = assertion.type {
            guard let found = target(description) else { return .constant(.undefined) }
            typed = found
        }
        let rule: MatchingRule
        if let name = assertion.matchingRule {
            guard let named = matchingRules[String(buffer: name)] else { return .constant(.undefined) }
            if let typed, !(typesByRule[named.oid]?.contains(typed.type.id) ?? false) { return .constant(.undefined) }
            rule = named
        } else {
            guard let equality = typed?.type.equality else { return .constant(.undefined) }
            rule = equality
        }
        let value = Self.bytes(assertion.matchValue)
        let test: PreparedFilterItem.Test
        switch rule.kind {
        case .equality:
            guard let normalized = try? normalize(value, rule: rule, of: typed?.type, assertion: true) else {
                return .constant(.undefined)
            }
            test = .equal(normalized)
        case .ordering:
            guard let normalized = try? normalize(value, rule: rule, of: typed?.type, assertion: true) else {
                return .constant(.undefined)
            }
            test = .lessThan(normalized)
        case .substrings:
            guard let parsed = try? SubstringAssertion(parsing: value),
                let substrings = substringsTest(
                    rule: rule, initial: parsed.initial, any: parsed.any, final: parsed.final)
            else {
                return .constant(.undefined)
            }
            test = substrings
        }
        let types: PreparedFilterItem.Types =
            if let typed { .subtypes(of: typed.type.id) } else { .anyOf(typesByRule[rule.oid] ?? []) }
        return .item(
            PreparedFilterItem(
                types: types, options: typed?.options ?? [], rule: rule, test: test,
                dnAttributes: assertion.dnAttributes))
    }

    // MARK: - Helpers

    /// The type and lower-cased options of a filter's attribute description; `nil` for an unknown type or a
    /// malformed option.
    private func target(_ description: ByteBuffer) -> (CompiledAttributeType, [String])? {
        let parsed = AttributeDescription(String(buffer: description))
        guard let type = attributeType(named: parsed.type) else { return nil }
        let options = parsed.options.map(Self.key)
        guard options.allSatisfy({ !$0.isEmpty }) else { return nil }
        return (type, options)
    }

    private func substringsTest(rule: MatchingRule, initial: [UInt8]?, any: [[UInt8]], final: [UInt8]?)
        -> PreparedFilterItem.Test?
    {
        do {
            let preparedInitial = try initial.map { (piece) throws(MatchingError) in
                try rule.normalizeSubstring(piece, position: .initial)
            }
            var preparedAny: [[UInt8]] = []
            for piece in any { preparedAny.append(try rule.normalizeSubstring(piece, position: .any)) }
            let preparedFinal = try final.map { (piece) throws(MatchingError) in
                try rule.normalizeSubstring(piece, position: .final)
            }
            return .substrings(initial: preparedInitial, any: preparedAny, final: preparedFinal)
        } catch {
            return nil
        }
    }

    private static func bytes(_ buffer: ByteBuffer) -> [UInt8] {
        Array(buffer.readableBytesView)
    }
}

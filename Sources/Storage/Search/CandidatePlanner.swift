import LDAPProtocol
import NIOCore
import Schema

/// Turns a filter into a ``CandidateSet`` from the index databases ("indexes decide candidates, the filter
/// decides truth"): a superset of the entries for which the filter is TRUE.
///
/// - AND intersects its children's sets (smallest first), OR unions them; `(&)` is every entry, `(|)` none;
/// - NOT, extensible matches and items whose type (or one of the subtypes the item also reads) lacks the index
///   kind give ``CandidateSet/all``: the scope decides;
/// - items that can never be TRUE — an unknown type, an assertion value the rule refuses (Undefined), `(x=*)` for
///   an unknown `x` (FALSE) — give the empty set;
/// - `(objectClass=c)` looks up `c` and every subclass of it (the filter matches subclasses).
///
/// An item on type T reads T and its subtypes, so it uses an index only when T and every subtype carry the kind
/// with the same matching rule as T (an index normalises with the stored type's own rule).
struct CandidatePlanner {
    let context: SchemaContext
    let plan: IndexPlan
    let databases: [String: LMDBDatabase]
    let maxKeySize: Int

    /// Nesting below this depth is not planned (``CandidateSet/all``); the decoder refuses far shallower filters.
    static let maximumDepth = 64

    func candidates(
        for filter: Filter,
        in transaction: borrowing some LMDBReadable & ~Copyable,
        explanation: inout SearchExplanation,
        depth: Int = 0
    ) throws -> CandidateSet {
        guard depth < Self.maximumDepth else { return .all }
        switch filter {
        case .and(let children):
            var sets: [CandidateSet] = []
            // `(&(a>=x)(a<=y))`: one scan of the ordering index from x to y, instead of two scans of everything
            // above x and everything below y (the password-expiry sweep's window on pwdChangedTime).
            var remaining = children
            while let (lower, upper) = Self.rangePair(in: remaining) {
                let set = try ordering(
                    lower.assertion, upper: upper.assertion, in: transaction, explanation: &explanation)
                if set == .none { return .none }
                sets.append(set)
                remaining.remove(at: max(lower.index, upper.index))
                remaining.remove(at: min(lower.index, upper.index))
            }
            for child in remaining {
                let set = try candidates(for: child, in: transaction, explanation: &explanation, depth: depth + 1)
                if set == .none { return .none }
                sets.append(set)
            }
            return CandidateSet.intersection(sets)
        case .or(let children):
            var sets: [CandidateSet] = []
            for child in children {
                let set = try candidates(for: child, in: transaction, explanation: &explanation, depth: depth + 1)
                if set == .all { return .all }
                sets.append(set)
            }
            return CandidateSet.union(sets)
        case .not:
            explanation.unindexed.append("NOT")
            return .all
        case .extensibleMatch:
            explanation.unindexed.append("extensible match")
            return .all
        case .equalityMatch(let assertion), .approxMatch(let assertion):
            return try equality(assertion, in: transaction, explanation: &explanation)
        case .greaterOrEqual(let assertion):
            return try ordering(assertion, greater: true, in: transaction, explanation: &explanation)
        case .lessOrEqual(let assertion):
            return try ordering(assertion, greater: false, in: transaction, explanation: &explanation)
        case .substrings(let substrings):
            return try self.substrings(substrings, in: transaction, explanation: &explanation)
        case .present(let description):
            return try presence(description, in: transaction, explanation: &explanation)
        }
    }

    // MARK: - Items

    private func equality(
        _ assertion: AttributeValueAssertion,
        in transaction: borrowing some LMDBReadable & ~Copyable,
        explanation: inout SearchExplanation
    ) throws -> CandidateSet {
        guard let type = target(assertion.attributeDescription), let rule = type.equality,
            let value = try? context.normalize(bytes(assertion.assertionValue), rule: rule, of: type, assertion: true)
        else {
            return .none
        }
        guard let indexes = indexes(.equality, for: type, rule: \.equality, explanation: &explanation) else {
            return .all
        }
        var keys = [value]
        if type.oid == EntryIndexer.objectClassOID,
            let objectClass = context.objectClass(named: String(decoding: value, as: UTF8.self))
        {
            keys = context.objectClasses.filter { $0.isSubclass(of: objectClass.id) }.map { Array($0.oid.utf8) }
        }
        var ids: [EntryID] = []
        for (name, database) in indexes {
            for key in keys {
                let indexKey = IndexKeys.valueKey(key, maxKeySize: maxKeySize)
                try transaction.forEachValue(in: database, key: indexKey) { value in
                    if let id = EntryID(bytes: value) { ids.append(id) }
                    return true
                }
                explanation.indexesUsed.append("\(name) = \(Self.show(key))")
            }
        }
        return .unsorted(ids)
    }

    /// The first `(a>=x)` and `(a<=y)` on the same attribute description among `filters`, with their positions.
    private static func rangePair(
        in filters: [Filter]
    ) -> (
        lower: (index: Int, assertion: AttributeValueAssertion), upper: (index: Int, assertion: AttributeValueAssertion)
    )? {
        for (lowerIndex, filter) in filters.enumerated() {
            guard case .greaterOrEqual(let lower) = filter else { continue }
            let name = String(buffer: lower.attributeDescription).lowercased()
            for (upperIndex, other) in filters.enumerated() {
                guard case .lessOrEqual(let upper) = other,
                    String(buffer: upper.attributeDescription).lowercased() == name
                else { continue }
                return ((lowerIndex, lower), (upperIndex, upper))
            }
        }
        return nil
    }

    /// The entries whose value of the attribute lies between the two assertions' values (both included), from
    /// one bounded scan; when either side cannot use the index, what the two items give on their own.
    private func ordering(
        _ lower: AttributeValueAssertion,
        upper: AttributeValueAssertion,
        in transaction: borrowing some LMDBReadable & ~Copyable,
        explanation: inout SearchExplanation
    ) throws -> CandidateSet {
        guard let type = target(lower.attributeDescription), let rule = type.ordering,
            let low = try? context.normalize(bytes(lower.assertionValue), rule: rule, of: type, assertion: true),
            let high = try? context.normalize(bytes(upper.assertionValue), rule: rule, of: type, assertion: true)
        else {
            return .none
        }
        guard let indexes = indexes(.ordering, for: type, rule: \.ordering, explanation: &explanation) else {
            return .all
        }
        let start = IndexKeys.valueKey(low, maxKeySize: maxKeySize)
        let end = IndexKeys.valueKey(high, maxKeySize: maxKeySize)
        var ids: [EntryID] = []
        for (name, database) in indexes {
            try transaction.withCursor(database) { cursor in
                var entry = try cursor.seek(atLeast: start)
                while let current = entry {
                    if end.lexicographicallyPrecedes(current.key) { break }
                    if let id = EntryID(bytes: current.value) { ids.append(id) }
                    entry = try cursor.next()
                }
            }
            explanation.indexesUsed.append("\(name) \(Self.show(low))..\(Self.show(high))")
        }
        return .unsorted(ids)
    }

    private func ordering(
        _ assertion: AttributeValueAssertion,
        greater: Bool,
        in transaction: borrowing some LMDBReadable & ~Copyable,
        explanation: inout SearchExplanation
    ) throws -> CandidateSet {
        guard let type = target(assertion.attributeDescription), let rule = type.ordering,
            let value = try? context.normalize(bytes(assertion.assertionValue), rule: rule, of: type, assertion: true)
        else {
            return .none
        }
        guard let indexes = indexes(.ordering, for: type, rule: \.ordering, explanation: &explanation) else {
            return .all
        }
        let bound = IndexKeys.valueKey(value, maxKeySize: maxKeySize)
        var ids: [EntryID] = []
        for (name, database) in indexes {
            try transaction.withCursor(database) { cursor in
                var entry = try greater ? cursor.seek(atLeast: bound) : cursor.first()
                while let current = entry {
                    if !greater && bound.lexicographicallyPrecedes(current.key) { break }
                    if let id = EntryID(bytes: current.value) { ids.append(id) }
                    entry = try cursor.next()
                }
            }
            explanation.indexesUsed.append("\(name) \(greater ? ">=" : "<=") \(Self.show(value))")
        }
        return .unsorted(ids)
    }

    private func substrings(
        _ filter: SubstringFilter,
        in transaction: borrowing some LMDBReadable & ~Copyable,
        explanation: inout SearchExplanation
    ) throws -> CandidateSet {
        guard let type = target(filter.attributeDescription), let rule = type.substring else { return .none }
        let initial: [UInt8]?
        let final: [UInt8]?
        var any: [[UInt8]] = []
        do {
            initial = try filter.initial.map { (piece) throws(MatchingError) in
                try rule.normalizeSubstring(bytes(piece), position: .initial)
            }
            final = try filter.final.map { (piece) throws(MatchingError) in
                try rule.normalizeSubstring(bytes(piece), position: .final)
            }
            for piece in filter.any { any.append(try rule.normalizeSubstring(bytes(piece), position: .any)) }
        } catch {
            return .none
        }
        let keys = IndexKeys.substringQueryKeys(initial: initial, any: any, final: final)
        guard !keys.isEmpty else {
            explanation.unindexed.append("substrings on \(type.oid): pieces too short")
            return .all
        }
        guard let indexes = indexes(.substring, for: type, rule: \.substring, explanation: &explanation) else {
            return .all
        }
        var perType: [CandidateSet] = []
        for (name, database) in indexes {
            var sets: [CandidateSet] = []
            for key in keys {
                var ids: [EntryID] = []
                try transaction.forEachValue(in: database, key: Array(key.prefix(maxKeySize))) { value in
                    if let id = EntryID(bytes: value) { ids.append(id) }
                    return true
                }
                sets.append(.ids(ids))  // dupsort values come sorted and unique
                if ids.isEmpty { break }
            }
            perType.append(CandidateSet.intersection(sets))
            explanation.indexesUsed.append("\(name) (\(keys.count) grams)")
        }
        return CandidateSet.union(perType)
    }

    private func presence(
        _ description: ByteBuffer,
        in transaction: borrowing some LMDBReadable & ~Copyable,
        explanation: inout SearchExplanation
    ) throws -> CandidateSet {
        let parsed = AttributeDescription(String(buffer: description))
        guard let type = target(description) else { return .none }
        if type.oid == EntryIndexer.objectClassOID && parsed.options.isEmpty { return .all }
        guard let indexes = indexes(.presence, for: type, rule: nil, explanation: &explanation) else { return .all }
        var ids: [EntryID] = []
        for (name, database) in indexes {
            try transaction.forEach(in: database) { entry in
                if let id = EntryID(bytes: entry.key) { ids.append(id) }
                return true
            }
            explanation.indexesUsed.append(name)
        }
        return .unsorted(ids)
    }

    // MARK: - Helpers

    /// The type of a filter's attribute description; `nil` when unknown or with an empty option (the item is
    /// then Undefined, or FALSE for presence: never TRUE either way).
    private func target(_ description: ByteBuffer) -> CompiledAttributeType? {
        let parsed = AttributeDescription(String(buffer: description))
        guard parsed.options.allSatisfy({ !$0.isEmpty }) else { return nil }
        return context.attributeType(named: parsed.type)
    }

    /// The `kind` databases of `type` and every subtype, when all have one and normalise with the same rule as
    /// `type`; otherwise `nil`, noted in the explanation.
    private func indexes(
        _ kind: IndexKinds,
        for type: CompiledAttributeType,
        rule: KeyPath<CompiledAttributeType, MatchingRule?>?,
        explanation: inout SearchExplanation
    ) -> [(String, LMDBDatabase)]? {
        var result: [(String, LMDBDatabase)] = []
        for candidate in context.attributeTypes where candidate.isSubtype(of: type.id) {
            let name = IndexPlan.databaseName(kind, oid: candidate.oid)
            guard plan.kinds(of: candidate.id).contains(kind), let database = databases[name] else {
                explanation.unindexed.append("no \(kind) index on \(candidate.primaryName)")
                return nil
            }
            if let rule, candidate[keyPath: rule]?.oid != type[keyPath: rule]?.oid {
                explanation.unindexed.append("\(candidate.primaryName) has its own \(kind) rule")
                return nil
            }
            result.append((name, database))
        }
        return result
    }

    private func bytes(_ buffer: ByteBuffer) -> [UInt8] {
        Array(buffer.readableBytesView)
    }

    private static func show(_ value: [UInt8]) -> String {
        "\"" + String(decoding: value.prefix(64), as: UTF8.self) + "\""
    }
}

import Foundation
import LDAPProtocol
import Schema

/// A compiled access-control policy: the rules of a rule file (docs/access-control.md), in order, with every
/// DN normalised, every filter prepared and every attribute list resolved against the schema at start-up.
///
/// Evaluation: for an entry and an attribute, the first rule whose `<what>` selects both applies; within it
/// the first `by` clause whose `<who>` names the subject gives the level; no rule or no clause gives none.
/// The root DN bypasses everything; `userPassword` is never compared, searched or read by anyone else.
///
/// Immutable and `Sendable`: one instance serves every connection.
public final class AccessPolicy: Sendable {
    let rules: [AccessRule]
    let groups: [GroupReference]
    let subjectFilters: [PreparedFilter]
    let matches: [MatchReference]
    let normalizer: DNNormalizer
    let context: SchemaContext
    /// Whether a rule selects by DN or names `self`: only then is an entry's DN normalised.
    let readsEntryNames: Bool
    private let passwordTypeID: Int?
    private let memberTypeIDs: [Int]

    // Compiled look-ups for the evaluation per entry and attribute (issue 5, point 6): sets of rule indices, so
    // that "the first rule selecting the entry and the attribute" is the lowest bit of an intersection rather
    // than a walk of the rules testing attribute names.
    /// For each attribute type id of `context`, the rules whose `attrs=` select the type, value rules left out:
    /// they decide checks about the attribute as a whole.
    let typeRules: [RuleMask]
    /// For each attribute type id, the rules whose `attrs=` select the type, value rules included (in file
    /// order, a value rule applying only to the values it selects); `nil` when no value rule selects the type,
    /// so that a check about one of its values is the check about the attribute.
    let typeValueRules: [RuleMask?]
    /// Whether some rule has a value clause (`val…=`): only then do checks about values differ from checks
    /// about attributes.
    public let hasValueRules: Bool
    /// The rules whose `attrs=` select `entry`, and `children`.
    let entryRules: RuleMask
    let childrenRules: RuleMask
    /// Every rule (a policy with no DN rule and no `self`: every entry is a candidate as far as DNs go).
    let allRules: RuleMask
    /// The rules without a DN pattern.
    let anyDNRules: RuleMask
    /// The rules with a `filter=` in `<what>`, evaluated on each entry their DN selects.
    let filterRules: RuleMask
    /// For each rule, the `match=` references (indices into ``matches``) its clauses use.
    let ruleMatches: [[Int]]
    /// For each `match=` reference, the first one comparing the same two types (a rule file repeats the same
    /// `match=` in several rules): an entry evaluates each distinct comparison once.
    let matchCanonical: [Int]
    /// For each `match=` reference, the names and OIDs (ASCII lower case) under which the schema knows its
    /// target type or a subtype: an entry's attributes are told apart by comparing bytes, without a look-up.
    let matchTargetNames: [[[UInt8]]]
    /// What is known of the parents of the entries seen (DN keys and the rules their DN selects), for every
    /// subject: bounded, shared by all connections.
    let parents: ParentMemo

    /// The file the rules came from (for messages).
    public let source: String

    init(
        rules: [AccessRule], groups: [GroupReference], subjectFilters: [PreparedFilter], matches: [MatchReference],
        context: SchemaContext, source: String
    ) {
        self.rules = rules
        self.groups = groups
        self.subjectFilters = subjectFilters
        self.matches = matches
        self.context = context
        self.normalizer = DNNormalizer(context: context)
        self.passwordTypeID = context.attributeType(named: "2.5.4.35")?.id
        self.memberTypeIDs = ["2.5.4.31", "2.5.4.50"].compactMap { context.attributeType(named: $0)?.id }
        self.source = source
        self.readsEntryNames = rules.contains { rule in
            rule.dn != nil || rule.clauses.contains { if case .this = $0.who { return true } else { return false } }
        }
        var typeRules = [RuleMask](repeating: .empty, count: context.attributeTypes.count)
        var typeValueRules = [RuleMask?](repeating: nil, count: context.attributeTypes.count)
        var entryRules = RuleMask.empty
        var childrenRules = RuleMask.empty
        var anyDNRules = RuleMask.empty
        var filterRules = RuleMask.empty
        var ruleMatches: [[Int]] = []
        for (index, rule) in rules.enumerated() {
            for type in context.attributeTypes where rule.attributes.contains(.type(type)) {
                if rule.value == nil {
                    typeRules[type.id].insert(index)
                } else if typeValueRules[type.id] == nil {
                    typeValueRules[type.id] = RuleMask.empty
                }
            }
            if rule.attributes.contains(.entry) { entryRules.insert(index) }
            if rule.attributes.contains(.children) { childrenRules.insert(index) }
            if rule.dn == nil { anyDNRules.insert(index) }
            if rule.filter != nil { filterRules.insert(index) }
            var used: [Int] = []
            for clause in rule.clauses {
                if case .match(let reference) = clause.who, !used.contains(reference) { used.append(reference) }
            }
            ruleMatches.append(used)
        }
        // A type some value rule selects: its attribute rules and value rules, in file order.
        for (id, selecting) in typeValueRules.enumerated() where selecting != nil {
            var all = typeRules[id]
            for (index, rule) in rules.enumerated()
            where rule.value != nil && rule.attributes.contains(.type(context.attributeTypes[id])) {
                all.insert(index)
            }
            typeValueRules[id] = all
        }
        self.typeRules = typeRules
        self.typeValueRules = typeValueRules
        self.hasValueRules = rules.contains { $0.value != nil }
        self.entryRules = entryRules
        self.childrenRules = childrenRules
        self.allRules = RuleMask(allBelow: rules.count)
        self.anyDNRules = anyDNRules
        self.filterRules = filterRules
        self.ruleMatches = ruleMatches
        self.matchCanonical = matches.indices.map { index in
            matches.firstIndex {
                $0.subjectType.id == matches[index].subjectType.id && $0.targetType.id == matches[index].targetType.id
            } ?? index
        }
        self.matchTargetNames = matches.map { reference in
            // Exactly the spellings `context.attributeType(named:)` resolves to the target type or a subtype.
            var names: [[UInt8]] = []
            for type in context.attributeTypes where type.isSubtype(of: reference.targetType.id) {
                for name in [type.oid] + type.names {
                    let key = Array(name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
                    guard let resolved = context.attributeType(named: name),
                        resolved.isSubtype(of: reference.targetType.id), !names.contains(key)
                    else { continue }
                    names.append(key)
                }
            }
            return names
        }
        self.parents = ParentMemo()
    }

    /// Compiles the rules in `text` (read from `file`, named in errors). `${name}` in a value is replaced by
    /// `variables[name]` (the CLI passes `suffix`); an unknown variable is an error.
    public convenience init(
        text: String, file: String = "access.rules", variables: [String: String] = [:], context: SchemaContext
    ) throws(AccessPolicyError) {
        var parser = AccessPolicyParser(file: file, variables: variables, context: context)
        try parser.parse(text)
        self.init(
            rules: parser.rules, groups: parser.groups, subjectFilters: parser.subjectFilters,
            matches: parser.matches, context: context, source: file)
    }

    /// Reads and compiles the rule file at `path` (see ``init(text:file:variables:context:)``).
    public convenience init(
        contentsOf path: String, variables: [String: String] = [:], context: SchemaContext
    ) throws(AccessPolicyError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw AccessPolicyError(file: path, line: 0, message: "cannot read the rule file: \(error.localizedDescription)")
        }
        try self.init(text: text, file: path, variables: variables, context: context)
    }

    /// A policy granting `manage` on everything to everyone (access control off, for benchmarks and tests);
    /// the `userPassword` rule still holds.
    public static func unrestricted(context: SchemaContext) -> AccessPolicy {
        let rule = AccessRule(
            dn: nil, filter: nil, attributes: .all, clauses: [AccessClause(who: .anyone, level: .manage)], line: 0)
        return AccessPolicy(
            rules: [rule], groups: [], subjectFilters: [], matches: [], context: context, source: "(unrestricted)")
    }

    /// How many rules the policy holds.
    public var ruleCount: Int { rules.count }

    /// The DNs of the groups `group=` subjects name: ``subject(boundAs:entry:lookup:)`` reads each once.
    public var groupDNs: [DistinguishedName] { groups.map(\.dn) }

    /// The decisions for `subject` on `entry` (compute once per entry, then ask per attribute).
    public func access(to entry: Entry, as subject: AccessSubject) -> EntryAccess {
        EntryAccess(policy: self, subject: subject, entry: entry, cache: nil)
    }

    /// The decisions for `subject` on `entry`, for a caller that goes through many entries for the same subject
    /// (a search): `cache` remembers the last parent DN normalised and the decisions per signature.
    public func access(to entry: Entry, as subject: AccessSubject, cache: AccessCache) -> EntryAccess {
        EntryAccess(policy: self, subject: subject, entry: entry, cache: cache)
    }

    /// Whether `subject` holds every privilege of `needed` on `attribute` of `entry`.
    public func allows(
        _ needed: AccessPrivileges, _ attribute: AccessAttribute, of entry: Entry, as subject: AccessSubject
    ) -> Bool {
        access(to: entry, as: subject).allows(needed, attribute)
    }

    /// Whether a Bind may check the password of `entry`: `auth` on its `userPassword` for the anonymous
    /// subject (who is asking is not known until the bind succeeds).
    public func mayAuthenticate(_ entry: Entry) -> Bool {
        guard let passwordTypeID else { return false }
        return allows(.auth, .type(context.attributeTypes[passwordTypeID]), of: entry, as: .anonymous)
    }

    /// The subject of a connection bound as `dn`, whose entry is `entry` (`nil` when it could not be read: the
    /// `filter=` and `match=` subjects then do not apply). `lookup` reads an entry by DN; it is called once for
    /// each group the policy names (nothing else is read).
    public func subject(
        boundAs dn: DistinguishedName, entry: Entry?, lookup: (DistinguishedName) -> Entry?
    ) -> AccessSubject {
        let name = normalizer.name(dn)
        var groupSet: Set<Int> = []
        if let name {
            for (index, group) in groups.enumerated() {
                if let groupEntry = lookup(group.dn), isMember(name, of: groupEntry) { groupSet.insert(index) }
            }
        }
        var filterSet: Set<Int> = []
        var values: [Int: Set<[UInt8]>] = [:]
        if let entry {
            for (index, filter) in subjectFilters.enumerated() where filter.matches(entry) { filterSet.insert(index) }
            for (index, reference) in matches.enumerated() {
                let normalized = normalizedValues(of: reference.subjectType, in: entry, rule: reference.rule, as: reference.targetType)
                if !normalized.isEmpty { values[index] = normalized }
            }
        }
        return AccessSubject(
            dn: dn, isRoot: false, name: name, groups: groupSet, filters: filterSet, matchValues: values)
    }

    // MARK: - Helpers for the evaluation

    func isPassword(_ type: CompiledAttributeType) -> Bool {
        guard let passwordTypeID else { return false }
        return type.isSubtype(of: passwordTypeID)
    }

    /// Whether the target entry holds a value of the reference's target type that the subject holds too (the
    /// value normalised by the target type's equality rule; values the rule refuses match nothing). With a
    /// cache, the answer for a value already seen in the search is reused: it depends only on the value's bytes
    /// and the subject's normalised values, fixed for the cache (one subject).
    func match(_ index: Int, subject: AccessSubject, target: Entry, cache: AccessCache?) -> Bool {
        guard let held = subject.matchValues[index], matches.indices.contains(index) else { return false }
        let reference = matches[index]
        let names = matchTargetNames[index]
        for attribute in target.attributes where Self.isAny(attribute.description.type, of: names) {
            for value in attribute.values {
                if let known = cache?.matchResult(index, value) {
                    if known { return true }
                    continue
                }
                let normalized = try? context.normalize(value, rule: reference.rule, of: reference.targetType)
                let holds = normalized.map { held.contains($0) } ?? false
                cache?.remember(index, value, holds)
                if holds { return true }
            }
        }
        return false
    }

    /// The scope of the children of `parent` (shared memo; see ``ParentScope``).
    func scope(ofParent parent: DistinguishedName) -> ParentScope {
        parents.scope(of: parent) { computeScope(ofParent: parent) }
    }

    private func computeScope(ofParent parent: DistinguishedName) -> ParentScope {
        guard let name = normalizer.name(parent) else {
            return ParentScope(parent: nil, selected: anyDNRules, leafRules: [])
        }
        let depth = name.depth + 1
        var selected = anyDNRules
        var leafRules: [ParentScope.LeafRule] = []
        for (index, rule) in rules.enumerated() {
            guard let pattern = rule.dn else { continue }
            if pattern.depth < depth {
                // DNPattern.matches on a child: its key starts with the pattern's exactly when its parent's does.
                switch pattern.scope {
                case .base: continue
                case .one: if pattern.depth == name.depth && name.key.starts(with: pattern.key) { selected.insert(index) }
                case .subtree, .children: if name.key.starts(with: pattern.key) { selected.insert(index) }
                }
            } else if pattern.depth == depth, pattern.scope == .base || pattern.scope == .subtree,
                pattern.key.starts(with: name.key)
            {
                // The child's key is the pattern's: the parent's key, then the leaf's.
                leafRules.append(ParentScope.LeafRule(rule: index, leaf: Array(pattern.key[name.key.count...])))
            }
        }
        return ParentScope(parent: name, selected: selected, leafRules: leafRules)
    }

    /// Whether `name` is, in ASCII lower case, one of `keys` (schema names and OIDs are ASCII).
    private static func isAny(_ name: String, of keys: [[UInt8]]) -> Bool {
        let count = name.utf8.count
        for key in keys where key.count == count {
            if zip(name.utf8, key).allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }) { return true }
        }
        return false
    }

    /// Whether a value rule selects `type`: then a check about one of its values may differ from the check
    /// about the attribute, and callers check each value (``EntryAccess/allows(_:_:value:assertion:)``).
    public func hasValueRules(for type: CompiledAttributeType) -> Bool {
        guard hasValueRules else { return false }
        guard let index = typeIndex(type) else {
            return rules.contains { $0.value != nil && $0.attributes.contains(.type(type)) }
        }
        return typeValueRules[index] != nil
    }

    /// The index of `type` in ``typeRules``: its id, when it is a type of the policy's schema context (`nil`
    /// for another context's: each rule's attribute set is then asked, and nothing is cached for it).
    func typeIndex(_ type: CompiledAttributeType) -> Int? {
        guard type.id < typeRules.count, context.attributeTypes[type.id] === type else { return nil }
        return type.id
    }

    /// The key `subject` has as a child of the parent of `scope`, after the parent's: the leaf an entry below
    /// that parent must have to be the subject's own (`nil` when the subject cannot be such a child).
    func selfLeaf(of subject: AccessSubject, in scope: ParentScope) -> [UInt8]? {
        guard let own = subject.name, let parent = scope.parent, own.depth == parent.depth + 1,
            own.key.starts(with: parent.key)
        else { return nil }
        return Array(own.key[parent.key.count...])
    }

    /// Values of `type` and its subtypes in `entry`, normalised by `rule` (values the rule refuses are left out).
    private func normalizedValues(
        of type: CompiledAttributeType, in entry: Entry, rule: MatchingRule, as ruleType: CompiledAttributeType
    ) -> Set<[UInt8]> {
        var result: Set<[UInt8]> = []
        for attribute in entry.attributes {
            guard let attributeType = context.attributeType(named: attribute.description.type),
                attributeType.isSubtype(of: type.id)
            else {
                continue
            }
            for value in attribute.values {
                if let normalized = try? context.normalize(value, rule: rule, of: ruleType) { result.insert(normalized) }
            }
        }
        return result
    }

    /// Whether a `member` or `uniqueMember` value (or a subtype's) of `group` names `name`.
    private func isMember(_ name: NormalizedName, of group: Entry) -> Bool {
        for attribute in group.attributes {
            guard let type = context.attributeType(named: attribute.description.type),
                memberTypeIDs.contains(where: { type.isSubtype(of: $0) })
            else {
                continue
            }
            for value in attribute.values {
                // uniqueMember may carry an optional `#'0101'B` unique identifier after the DN.
                var text = String(decoding: value, as: UTF8.self)
                if text.hasSuffix("'B"), let hash = text.range(of: "#'", options: .backwards) {
                    text = String(text[..<hash.lowerBound])
                }
                guard let dn = try? DistinguishedName(text), let memberName = normalizer.name(dn) else { continue }
                if memberName == name { return true }
            }
        }
        return false
    }
}

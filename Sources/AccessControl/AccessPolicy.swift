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

    /// Whether the target entry holds a value of the reference's target type that the subject holds too.
    func match(_ index: Int, subject: AccessSubject, target: Entry) -> Bool {
        guard let held = subject.matchValues[index], matches.indices.contains(index) else { return false }
        let reference = matches[index]
        let values = normalizedValues(of: reference.targetType, in: target, rule: reference.rule, as: reference.targetType)
        return !held.isDisjoint(with: values)
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

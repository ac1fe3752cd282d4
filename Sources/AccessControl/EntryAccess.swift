import LDAPProtocol
import Schema

/// The decisions of a policy for one subject on one entry. Built once per entry (``AccessPolicy/access(to:as:)``):
/// the `<what>` DN and filter tests are done once, keeping the set of rules that select the entry (the parent's
/// part of the DN comes from ``ParentScope``, so only the entry's own RDN is normalised); each attribute check
/// is then the first rule of that set that also selects the attribute (a bit intersection), and its first
/// clause naming the subject.
public struct EntryAccess {
    private let policy: AccessPolicy
    private let subject: AccessSubject
    /// The rules whose DN and filter select the entry.
    private let candidates: RuleMask
    private let isSelf: Bool
    /// The `match=` subjects, among those the candidate rules use, that hold for the entry.
    private let matched: RuleMask

    /// Decisions already made for entries of the same signature (``AccessCache``); `nil` without a cache.
    private let table: AccessDecisionTable?

    init(policy: AccessPolicy, subject: AccessSubject, entry: Entry, cache: AccessCache?) {
        self.policy = policy
        self.subject = subject
        guard !subject.isRoot else {
            candidates = .empty
            isSelf = false
            matched = .empty
            table = nil
            return
        }
        var candidates: RuleMask
        var isSelf = false
        if !policy.readsEntryNames {
            // No rule looks at DNs (access control off): nothing to normalise.
            candidates = policy.allRules
        } else if let leaf = entry.dn.rdn {
            // The parent's part is known from the last sibling or the shared memo; only the RDN is normalised.
            let scope: ParentScope
            let selfLeaf: [UInt8]?
            if let cache {
                (scope, selfLeaf) = cache.scope(of: entry.dn, policy: policy, subject: subject)
            } else {
                scope = policy.scope(ofParent: DistinguishedName(rdns: Array(entry.dn.rdns.dropFirst())))
                selfLeaf = policy.selfLeaf(of: subject, in: scope)
            }
            // The RDN's key is compared only when a rule or `self` names an entry of this parent; otherwise
            // only whether the RDN normalises matters (writing the key costs as much again).
            let needsKey = !scope.leafRules.isEmpty || selfLeaf != nil
            let leafKey: [UInt8]?
            let valid: Bool
            if scope.parent == nil {
                (leafKey, valid) = (nil, false)
            } else if let cache {
                (leafKey, valid) = cache.leaf(leaf, needsKey: needsKey, normalizer: policy.normalizer)
            } else if needsKey {
                leafKey = policy.normalizer.key(of: leaf)
                valid = leafKey != nil
            } else {
                (leafKey, valid) = (nil, policy.normalizer.isValid(leaf))
            }
            if valid {
                candidates = scope.selected
                if let leafKey {
                    for rule in scope.leafRules where rule.leaf == leafKey { candidates.insert(rule.rule) }
                    isSelf = selfLeaf == leafKey
                }
            } else {
                // A DN that cannot be normalised names no entry: no DN pattern selects it.
                candidates = policy.anyDNRules
            }
        } else {
            // The root DSE's empty DN.
            candidates = .empty
            let name = policy.normalizer.name(entry.dn)
            for (index, rule) in policy.rules.enumerated() {
                if let pattern = rule.dn {
                    guard let name, pattern.matches(name) else { continue }
                }
                candidates.insert(index)
            }
            if let own = subject.name, let name { isSelf = own == name }
        }
        let filtered = candidates.intersection(policy.filterRules)
        if !filtered.isEmpty {
            filtered.forEach { index in
                if let filter = policy.rules[index].filter, !filter.matches(entry) { candidates.remove(index) }
            }
        }
        var matched = RuleMask.empty
        // By canonical reference: each distinct comparison once per entry.
        var evaluated = RuleMask.empty
        var holding = RuleMask.empty
        candidates.forEach { index in
            for reference in policy.ruleMatches[index] {
                let canonical = policy.matchCanonical[reference]
                if !evaluated.contains(canonical) {
                    evaluated.insert(canonical)
                    if policy.match(canonical, subject: subject, target: entry, cache: cache) {
                        holding.insert(canonical)
                    }
                }
                if holding.contains(canonical) { matched.insert(reference) }
            }
        }
        self.candidates = candidates
        self.isSelf = isSelf
        self.matched = matched
        table = cache?.table(
            AccessSignature(candidates: candidates, isSelf: isSelf, matched: matched),
            typeCount: policy.typeRules.count)
    }

    /// An object identical (`===`) for two values of the same search whose decisions are the same on every
    /// attribute (same signature in the same ``AccessCache``); `nil` without a cache or for the root DN. Lets a
    /// caller reuse what it derived from the decisions alone (a search filter's Undefined items).
    public var decisionIdentity: AnyObject? { table }

    /// Whether every rule check passes (the root DN).
    public var bypasses: Bool { subject.isRoot }

    /// The privileges granted on `attribute`: the first rule selecting it decides, through its first clause
    /// naming the subject; none when no rule or clause applies. On `userPassword` (and subtypes) the revealing
    /// privileges (compare, search, read) are withheld from everyone but the root DN, whatever the rule says.
    public func privileges(_ attribute: AccessAttribute) -> AccessPrivileges {
        if subject.isRoot { return AccessLevel.manage.privileges }
        switch attribute {
        case .entry:
            guard let table else { return decide(attribute, selecting: policy.entryRules) }
            if table.entry >= 0 { return AccessPrivileges(rawValue: UInt16(table.entry)) }
            let decided = decide(attribute, selecting: policy.entryRules)
            table.entry = Int32(decided.rawValue)
            return decided
        case .children:
            guard let table else { return decide(attribute, selecting: policy.childrenRules) }
            if table.children >= 0 { return AccessPrivileges(rawValue: UInt16(table.children)) }
            let decided = decide(attribute, selecting: policy.childrenRules)
            table.children = Int32(decided.rawValue)
            return decided
        case .type(let type):
            guard let index = policy.typeIndex(type) else { return decide(attribute, selecting: nil) }
            guard let table else { return decide(attribute, selecting: policy.typeRules[index]) }
            let known = table.types[index]
            if known >= 0 { return AccessPrivileges(rawValue: UInt16(known)) }
            let decided = decide(attribute, selecting: policy.typeRules[index])
            table.types[index] = Int32(decided.rawValue)
            return decided
        }
    }

    /// `selecting`: the rules whose `attrs=` select `attribute` (`nil`: ask each candidate rule), value rules
    /// left out (a check about a whole attribute skips them).
    private func decide(_ attribute: AccessAttribute, selecting: RuleMask?) -> AccessPrivileges {
        let first: Int?
        if let selecting {
            first = candidates.firstCommon(with: selecting)
        } else {
            first = candidates.first { index in
                policy.rules[index].value == nil && policy.rules[index].attributes.contains(attribute)
            }
        }
        return granted(by: first, on: attribute)
    }

    /// The privileges rule `first` (none when `nil`) grants on `attribute`, through its first clause naming the
    /// subject, less the revealing ones on a password.
    private func granted(by first: Int?, on attribute: AccessAttribute) -> AccessPrivileges {
        var granted: AccessPrivileges = []
        if let first, let clause = policy.rules[first].clauses.first(where: { applies($0.who) }) {
            granted = clause.level.privileges
        }
        if case .type(let type) = attribute, policy.isPassword(type) {
            granted.subtract(.revealing)
        }
        return granted
    }

    /// Whether a value rule selects `type` (for a subject the rules apply to): then each value must be checked
    /// with ``allows(_:_:value:assertion:)``, as its answer may differ from the attribute's.
    public func hasValueRules(for type: CompiledAttributeType) -> Bool {
        !subject.isRoot && policy.hasValueRules(for: type)
    }

    /// Whether a check for `needed` about some value of `type` may be answered otherwise than the check about
    /// the attribute: a value rule selecting the entry comes, in file order, before the first attribute rule for
    /// the type and gives this subject a different answer. When not, a caller filtering values (a search
    /// returning them) keeps them all without comparing any: a value rule that only restates the attribute's
    /// answer for this reader (one that withholds writing, say) costs a search nothing.
    public func valuesMayDiffer(_ needed: AccessPrivileges, _ type: CompiledAttributeType) -> Bool {
        guard !subject.isRoot, policy.hasValueRules else { return false }
        guard let index = policy.typeIndex(type) else { return policy.hasValueRules(for: type) }
        guard let selecting = policy.typeValueRules[index] else { return false }
        let whole = privileges(.type(type)).isSuperset(of: needed)
        var differs = false
        _ = candidates.intersection(selecting).first { rule in
            // The first attribute rule decides every value no earlier value rule names: the walk ends there.
            guard policy.rules[rule].value != nil else { return true }
            differs = granted(by: rule, on: .type(type)).isSuperset(of: needed) != whole
            return differs
        }
        return differs
    }

    /// The privileges granted on one value of `type` (an attribute value; with `assertion`, an equality
    /// assertion value): the first rule, in file order, that selects the entry and the type and either has no
    /// value clause or one selecting this value, decides. Without value rules on the type, the privileges on
    /// the attribute (``privileges(_:)``, cached as they are).
    public func privileges(_ type: CompiledAttributeType, value: [UInt8], assertion: Bool = false) -> AccessPrivileges {
        if subject.isRoot { return AccessLevel.manage.privileges }
        guard policy.hasValueRules else { return privileges(.type(type)) }
        let first: Int?
        if let index = policy.typeIndex(type) {
            guard let selecting = policy.typeValueRules[index] else { return privileges(.type(type)) }
            first = candidates.intersection(selecting).first { selects($0, value, assertion: assertion) }
        } else {
            first = candidates.first {
                policy.rules[$0].attributes.contains(.type(type)) && selects($0, value, assertion: assertion)
            }
        }
        return granted(by: first, on: .type(type))
    }

    /// Whether every privilege of `needed` is granted on one value of `type` (see
    /// ``privileges(_:value:assertion:)``).
    public func allows(
        _ needed: AccessPrivileges, _ type: CompiledAttributeType, value: [UInt8], assertion: Bool = false
    ) -> Bool {
        privileges(type, value: value, assertion: assertion).isSuperset(of: needed)
    }

    /// Whether rule `index` applies to `value`: it has no value clause, or its clause selects the value.
    private func selects(_ index: Int, _ value: [UInt8], assertion: Bool) -> Bool {
        guard let selector = policy.rules[index].value else { return true }
        return selector.matches(value, assertion: assertion, context: policy.context, normalizer: policy.normalizer)
    }

    /// Whether every privilege of `needed` is granted on `attribute`.
    public func allows(_ needed: AccessPrivileges, _ attribute: AccessAttribute) -> Bool {
        privileges(attribute).isSuperset(of: needed)
    }

    private func applies(_ who: AccessWho) -> Bool {
        switch who {
        case .anyone: return true
        case .anonymous: return subject.dn == nil
        case .users: return subject.dn != nil
        case .this: return isSelf
        case .dn(let pattern): return subject.name.map(pattern.matches) ?? false
        case .group(let index): return subject.groups.contains(index)
        case .filter(let index): return subject.filters.contains(index)
        case .match(let index): return matched.contains(index)
        }
    }
}

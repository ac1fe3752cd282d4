import LDAPProtocol
import Schema

/// The decisions of a policy for one subject on one entry. Built once per entry (``AccessPolicy/access(to:as:)``):
/// the entry's DN is normalised and its `<what>` DN and filter tests are done once, keeping the rules that
/// select the entry; each attribute check then only walks those rules' attribute sets and clauses.
public struct EntryAccess {
    private let policy: AccessPolicy
    private let subject: AccessSubject
    /// Indices of the rules whose DN and filter select the entry, in order.
    private let candidates: [Int]
    private let isSelf: Bool
    /// Results of the `match=` subjects the candidate rules use.
    private let matched: [Int: Bool]

    /// Decisions already made for entries of the same signature (``AccessCache``); `nil` without a cache.
    private let table: AccessDecisionTable?

    init(policy: AccessPolicy, subject: AccessSubject, entry: Entry, cache: AccessCache?) {
        self.policy = policy
        self.subject = subject
        guard !subject.isRoot else {
            candidates = []
            isSelf = false
            matched = [:]
            table = nil
            return
        }
        // Normalising the DN is the main cost per entry: skipped when no rule looks at DNs (access control off).
        let name: NormalizedName?
        if policy.readsEntryNames {
            name = cache.map { policy.normalizer.name(entry.dn, cache: $0) } ?? policy.normalizer.name(entry.dn)
        } else {
            name = nil
        }
        var candidates: [Int] = []
        var matched: [Int: Bool] = [:]
        for (index, rule) in policy.rules.enumerated() {
            if let pattern = rule.dn {
                guard let name, pattern.matches(name) else { continue }
            }
            if let filter = rule.filter, !filter.matches(entry) { continue }
            candidates.append(index)
            for clause in rule.clauses {
                if case .match(let reference) = clause.who, matched[reference] == nil {
                    matched[reference] = policy.match(reference, subject: subject, target: entry)
                }
            }
        }
        self.candidates = candidates
        self.matched = matched
        let isSelf: Bool
        if let own = subject.name, let name { isSelf = own == name } else { isSelf = false }
        self.isSelf = isSelf
        table = cache?.table(
            AccessSignature(
                candidates: candidates, isSelf: isSelf, matched: matched.filter(\.value).map(\.key).sorted()))
    }

    /// Whether every rule check passes (the root DN).
    public var bypasses: Bool { subject.isRoot }

    /// The privileges granted on `attribute`: the first rule selecting it decides, through its first clause
    /// naming the subject; none when no rule or clause applies. On `userPassword` (and subtypes) the revealing
    /// privileges (compare, search, read) are withheld from everyone but the root DN, whatever the rule says.
    public func privileges(_ attribute: AccessAttribute) -> AccessPrivileges {
        if subject.isRoot { return AccessLevel.manage.privileges }
        guard let table else { return decide(attribute) }
        switch attribute {
        case .entry:
            if let known = table.entry { return known }
            let decided = decide(attribute)
            table.entry = decided
            return decided
        case .children:
            if let known = table.children { return known }
            let decided = decide(attribute)
            table.children = decided
            return decided
        case .type(let type):
            if let known = table.types[type.id] { return known }
            let decided = decide(attribute)
            table.types[type.id] = decided
            return decided
        }
    }

    private func decide(_ attribute: AccessAttribute) -> AccessPrivileges {
        var granted: AccessPrivileges = []
        for index in candidates {
            let rule = policy.rules[index]
            guard rule.attributes.contains(attribute) else { continue }
            if let clause = rule.clauses.first(where: { applies($0.who) }) { granted = clause.level.privileges }
            break
        }
        if case .type(let type) = attribute, policy.isPassword(type) {
            granted.subtract(.revealing)
        }
        return granted
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
        case .match(let index): return matched[index] ?? false
        }
    }
}

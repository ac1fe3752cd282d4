import Foundation
import LDAPProtocol
import Schema

/// Compiles the statements of a rule file (grammar in docs/access-control.md):
///
///     access to <what>... by <who> <level> [by <who> <level>]...
///     <what>  = * | dn[.base|.exact|.one|.onelevel|.subtree|.sub|.children]="DN" | filter="(…)" | attrs=a,b,…
///     <who>   = * | anonymous | users | self | dn[.scope]="DN" | group="DN" | filter="(…)" | match="S=T"
///     <level> = none | disclose | auth | compare | search | read | add | delete | write | manage
///
/// Every name is checked against the schema, so that a misspelt attribute is an error at start-up rather than
/// a rule that silently never applies.
struct AccessPolicyParser {
    let file: String
    let variables: [String: String]
    let context: SchemaContext
    private let normalizer: DNNormalizer

    private(set) var rules: [AccessRule] = []
    private(set) var groups: [GroupReference] = []
    private(set) var subjectFilters: [PreparedFilter] = []
    private(set) var matches: [MatchReference] = []

    init(file: String, variables: [String: String], context: SchemaContext) {
        self.file = file
        self.variables = variables
        self.context = context
        self.normalizer = DNNormalizer(context: context)
    }

    mutating func parse(_ text: String) throws(AccessPolicyError) {
        for statement in try AccessRuleLexer(file: file).statements(text) {
            rules.append(try rule(statement))
        }
    }

    private func error(_ line: Int, _ message: String) -> AccessPolicyError {
        AccessPolicyError(file: file, line: line, message: message)
    }

    // MARK: - Statements

    private mutating func rule(_ words: [AccessToken]) throws(AccessPolicyError) -> AccessRule {
        guard let first = words.first else { throw error(0, "empty rule") }
        guard first.text == "access" else {
            throw error(first.line, "a rule starts with 'access to', found '\(first.text)'")
        }
        guard words.count > 1, words[1].text == "to" else {
            throw error(first.line, "expected 'to' after 'access'")
        }
        var rule = RuleDraft()
        var index = 2
        var sawWhat = false
        var sawAttributes = false
        while index < words.count, words[index].text != "by" {
            try what(words[index], into: &rule, sawAttributes: &sawAttributes)
            sawWhat = true
            index += 1
        }
        guard sawWhat else { throw error(first.line, "'access to' needs a <what> (*, dn…=, filter=, attrs=)") }
        while index < words.count {
            let by = words[index]
            guard by.text == "by" else { throw error(by.line, "expected 'by', found '\(by.text)'") }
            guard index + 1 < words.count, words[index + 1].text != "by" else {
                throw error(by.line, "'by' needs a <who> and a <level>")
            }
            let who = try self.who(words[index + 1])
            guard index + 2 < words.count, words[index + 2].text != "by" else {
                throw error(words[index + 1].line, "'by \(words[index + 1].text)' needs a <level>")
            }
            let levelWord = words[index + 2]
            guard let level = AccessLevel(rawValue: levelWord.text.lowercased()) else {
                let known = AccessLevel.allCases.map(\.rawValue).joined(separator: ", ")
                throw error(levelWord.line, "unknown access level '\(levelWord.text)' (expected one of \(known))")
            }
            rule.clauses.append(AccessClause(who: who, level: level))
            index += 3
        }
        guard !rule.clauses.isEmpty else { throw error(first.line, "the rule has no 'by' clause") }
        return AccessRule(
            dn: rule.dn, filter: rule.filter, attributes: rule.attributes, clauses: rule.clauses, line: first.line)
    }

    /// A rule while its words are read.
    private struct RuleDraft {
        var dn: DNPattern?
        var filter: PreparedFilter?
        var attributes = AccessAttributeSet.all
        var clauses: [AccessClause] = []
    }

    private func what(
        _ word: AccessToken, into rule: inout RuleDraft, sawAttributes: inout Bool
    ) throws(AccessPolicyError) {
        if word.text == "*" { return }
        let (key, value) = try split(word)
        if let scope = try dnScope(key, word) {
            guard rule.dn == nil else { throw error(word.line, "the rule already selects a DN") }
            rule.dn = try pattern(value, scope: scope, word)
        } else if key == "filter" {
            guard rule.filter == nil else { throw error(word.line, "the rule already has a filter") }
            rule.filter = PreparedFilter(try filter(value, word), context: context)
        } else if key == "attrs" || key == "attr" {
            guard !sawAttributes else { throw error(word.line, "the rule already lists attributes") }
            rule.attributes = try attributes(value, word)
            sawAttributes = true
        } else {
            throw error(word.line, "unknown <what> '\(key)' (expected *, dn…=, filter= or attrs=)")
        }
    }

    private mutating func who(_ word: AccessToken) throws(AccessPolicyError) -> AccessWho {
        switch word.text {
        case "*": return .anyone
        case "anonymous": return .anonymous
        case "users": return .users
        case "self": return .this
        default: break
        }
        guard word.text.contains("=") else {
            throw error(
                word.line,
                "unknown <who> '\(word.text)' (expected *, anonymous, users, self, dn…=, group=, filter= or match=)")
        }
        let (key, value) = try split(word)
        if let scope = try dnScope(key, word) {
            return .dn(try pattern(value, scope: scope, word))
        }
        switch key {
        case "group":
            let dn = try distinguishedName(value, word)
            guard let name = normalizer.name(dn) else { throw error(word.line, "cannot normalise the DN '\(value)'") }
            groups.append(GroupReference(dn: dn, name: name))
            return .group(groups.count - 1)
        case "filter":
            subjectFilters.append(PreparedFilter(try filter(value, word), context: context))
            return .filter(subjectFilters.count - 1)
        case "match":
            matches.append(try matchReference(value, word))
            return .match(matches.count - 1)
        default:
            throw error(
                word.line,
                "unknown <who> '\(word.text)' (expected *, anonymous, users, self, dn…=, group=, filter= or match=)")
        }
    }

    // MARK: - Values

    /// `key=value`, with `${variables}` of the value expanded.
    private func split(_ word: AccessToken) throws(AccessPolicyError) -> (String, String) {
        guard let equals = word.text.firstIndex(of: "=") else {
            throw error(word.line, "unexpected '\(word.text)' (expected key=value)")
        }
        let key = word.text[..<equals].lowercased()
        let raw = String(word.text[word.text.index(after: equals)...])
        return (key, try expand(raw, word))
    }

    private func expand(_ value: String, _ word: AccessToken) throws(AccessPolicyError) -> String {
        var result = ""
        var rest = Substring(value)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw error(word.line, "unterminated variable in '\(value)'")
            }
            let name = String(rest[start.upperBound..<end])
            guard let replacement = variables[name] else {
                let known = variables.keys.sorted().map { "${\($0)}" }.joined(separator: ", ")
                throw error(word.line, "unknown variable ${\(name)} (known: \(known.isEmpty ? "none" : known))")
            }
            result += replacement
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// The scope a `dn…` key names; `nil` for a key that is not `dn…`.
    private func dnScope(_ key: String, _ word: AccessToken) throws(AccessPolicyError) -> DNPattern.Scope? {
        switch key {
        case "dn", "dn.base", "dn.exact": return .base
        case "dn.one", "dn.onelevel": return .one
        case "dn.subtree", "dn.sub": return .subtree
        case "dn.children": return .children
        default:
            if key.hasPrefix("dn.") { throw error(word.line, "unknown DN scope '\(key)' (base, one, subtree, children)") }
            return nil
        }
    }

    private func pattern(_ value: String, scope: DNPattern.Scope, _ word: AccessToken) throws(AccessPolicyError)
        -> DNPattern
    {
        let dn = try distinguishedName(value, word)
        guard let name = normalizer.name(dn) else { throw error(word.line, "cannot normalise the DN '\(value)'") }
        return DNPattern(scope: scope, key: name.key, depth: name.depth)
    }

    private func distinguishedName(_ value: String, _ word: AccessToken) throws(AccessPolicyError)
        -> DistinguishedName
    {
        let dn: DistinguishedName
        do {
            dn = try DistinguishedName(value)
        } catch {
            throw self.error(word.line, "invalid DN '\(value)': \(error)")
        }
        for rdn in dn.rdns {
            for component in rdn.attributes where context.attributeType(named: component.type) == nil {
                throw error(word.line, "unknown attribute type '\(component.type)' in the DN '\(value)'")
            }
        }
        return dn
    }

    private func filter(_ value: String, _ word: AccessToken) throws(AccessPolicyError) -> Filter {
        do {
            return try Filter(string: value)
        } catch {
            throw self.error(word.line, "invalid filter '\(value)': \(error)")
        }
    }

    private func attributes(_ value: String, _ word: AccessToken) throws(AccessPolicyError) -> AccessAttributeSet {
        var set = AccessAttributeSet()
        let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
            throw error(word.line, "empty name in attrs='\(value)'")
        }
        for name in names {
            switch name.lowercased() {
            case "entry": set.entry = true
            case "children": set.children = true
            case "*": set.allUser = true
            case "+": set.allOperational = true
            default:
                if name.hasPrefix("@") {
                    guard let objectClass = context.objectClass(named: String(name.dropFirst())) else {
                        throw error(word.line, "unknown object class '\(name.dropFirst())' in attrs=")
                    }
                    set.classAllowed.formUnion(objectClass.allowed)
                    set.classAllowed.formUnion(objectClass.required)
                } else {
                    guard let type = context.attributeType(named: AttributeDescription(name).type) else {
                        throw error(word.line, "unknown attribute type '\(name)' in attrs=")
                    }
                    set.types.insert(type.id)
                }
            }
        }
        return set
    }

    private func matchReference(_ value: String, _ word: AccessToken) throws(AccessPolicyError) -> MatchReference {
        let parts = value.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw error(word.line, "match= expects \"SUBJECTATTR=TARGETATTR\", found '\(value)'")
        }
        guard let subjectType = context.attributeType(named: String(parts[0])) else {
            throw error(word.line, "unknown attribute type '\(parts[0])' in match=")
        }
        guard let targetType = context.attributeType(named: String(parts[1])) else {
            throw error(word.line, "unknown attribute type '\(parts[1])' in match=")
        }
        guard let rule = targetType.equality else {
            throw error(word.line, "'\(parts[1])' has no equality rule: match= cannot compare its values")
        }
        return MatchReference(subjectType: subjectType, targetType: targetType, rule: rule)
    }
}

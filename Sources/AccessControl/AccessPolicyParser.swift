import Foundation
import LDAPProtocol
import Schema

/// Compiles the statements of a rule file (grammar in docs/access-control.md):
///
///     access to <what>... by <who> <level> [by <who> <level>]...
///     <what>  = * | dn[.base|.exact|.one|.onelevel|.subtree|.sub|.children]="DN" | filter="(…)" | attrs=a,b,…
///               | val[/RULE][.exact|.base|.regex|.one|.onelevel|.subtree|.sub|.children]="VALUE" (with attrs=T)
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
        var value: AccessValueSelector?
        if let clause = rule.valueClause {
            value = try valueSelector(clause, attributes: rule.attributes, attributeNames: rule.attributeNames)
        }
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
            dn: rule.dn, filter: rule.filter, attributes: rule.attributes, value: value, clauses: rule.clauses,
            line: first.line)
    }

    /// A rule while its words are read.
    private struct RuleDraft {
        var dn: DNPattern?
        var filter: PreparedFilter?
        var attributes = AccessAttributeSet.all
        /// The names `attrs=` lists, as written (a value clause needs exactly one type).
        var attributeNames: [String] = []
        /// The `val…=` word, its key and its value: compiled once the whole `<what>` is read (`attrs=` may
        /// come after it).
        var valueClause: (word: AccessToken, key: String, value: String)?
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
            rule.attributeNames = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            sawAttributes = true
        } else if key == "val" || key.hasPrefix("val.") || key.hasPrefix("val/") {
            guard rule.valueClause == nil else { throw error(word.line, "the rule already has a value clause") }
            rule.valueClause = (word, key, value)
        } else {
            throw error(word.line, "unknown <what> '\(key)' (expected *, dn…=, filter=, attrs= or val=)")
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

    /// The styles of a value clause (`val.STYLE=`), as slapd.access(5) spells them.
    private enum ValueStyle {
        case exact, regex, one, subtree, children

        init?(_ name: Substring) {
            switch name {
            case "exact", "base", "baseobject": self = .exact
            case "regex": self = .regex
            case "one", "onelevel": self = .one
            case "sub", "subtree": self = .subtree
            case "children": self = .children
            default: return nil
            }
        }
    }

    /// Compiles `val[/RULE][.STYLE]=VALUE` for a rule whose `attrs=` are `attributes` (`names` as written):
    /// they must name exactly one attribute type, whose values the clause selects.
    private func valueSelector(
        _ clause: (word: AccessToken, key: String, value: String), attributes: AccessAttributeSet,
        attributeNames: [String]
    ) throws(AccessPolicyError) -> AccessValueSelector {
        let word = clause.word
        guard attributeNames.count == 1, attributes.types.count == 1, let id = attributes.types.first,
            !attributes.everything, !attributes.entry, !attributes.children, !attributes.allUser,
            !attributes.allOperational, attributes.classAllowed.isEmpty
        else {
            let listed = attributeNames.isEmpty ? "no attrs=" : "attrs=\(attributeNames.joined(separator: ","))"
            throw error(
                word.line,
                "a value clause (\(clause.key)=) selects values of one attribute type: the rule's attrs= must name "
                    + "exactly one type (found \(listed))")
        }
        let type = context.attributeTypes[id]
        // "val", then "/RULE" (a name or an OID, so it may hold dots), then ".STYLE".
        var rest = clause.key.dropFirst(3)
        var ruleName: Substring?
        var style = ValueStyle.exact
        if rest.first == "/" {
            rest = rest.dropFirst()
            if let dot = rest.lastIndex(of: "."), let named = ValueStyle(rest[rest.index(after: dot)...]) {
                style = named
                rest = rest[..<dot]
            }
            ruleName = rest
        } else if rest.first == "." {
            guard let named = ValueStyle(rest.dropFirst()) else {
                throw error(
                    word.line,
                    "unknown value style '\(clause.key)' (val=, val.exact=, val.regex=, and for DN-valued types "
                        + "val.base=, val.one=, val.subtree=, val.children=)")
            }
            style = named
        }
        let text = clause.value
        switch style {
        case .exact:
            let rule: MatchingRule
            if let ruleName {
                guard let named = context.matchingRules[String(ruleName)] else {
                    throw error(word.line, "unknown matching rule '\(ruleName)' in \(clause.key)=")
                }
                // Compatible: an equality rule for values of the type's syntax (or of its equality rule's).
                guard named.kind == .equality,
                    named.syntaxOID == type.syntaxOID || named.syntaxOID == type.equality?.syntaxOID
                else {
                    throw error(
                        word.line,
                        "'\(named.name)' is not an equality rule for the values of '\(type.primaryName)' "
                            + "(syntax \(type.syntaxOID))")
                }
                rule = named
            } else {
                guard let equality = type.equality else {
                    throw error(
                        word.line,
                        "'\(type.primaryName)' has no equality rule: val= cannot compare its values (use val.regex=)")
                }
                rule = equality
            }
            let normalized: [UInt8]
            do {
                normalized = try context.normalize(Array(text.utf8), rule: rule, of: type)
            } catch {
                throw self.error(word.line, "'\(text)' is not a valid value of '\(type.primaryName)' for \(rule.name)")
            }
            return AccessValueSelector(type: type, test: .equal(rule: rule, normalized: normalized))
        case .regex:
            guard ruleName == nil else {
                throw error(word.line, "a matching rule cannot be given with val.regex= (\(clause.key)=)")
            }
            // Back-references are the one construct whose matching time can grow exponentially with the
            // value's length (the values are the clients'): refused.
            if let reference = text.range(of: #"\\[1-9]"#, options: .regularExpression) {
                throw error(
                    word.line,
                    "back-references (\(text[reference])) are not allowed in val.regex= (matching could take "
                        + "exponential time)")
            }
            let ignoringCase = (type.equality?.names ?? []).contains { name in
                name.lowercased().hasPrefix("caseignore")
            }
            do throws(AccessRegexError) {
                return AccessValueSelector(type: type, test: .regex(try AccessRegex(text, ignoringCase: ignoringCase)))
            } catch {
                throw self.error(word.line, "invalid regular expression '\(text)' in val.regex=: \(error.message)")
            }
        case .one, .subtree, .children:
            guard ruleName == nil else {
                throw error(word.line, "a matching rule cannot be given with \(clause.key)=")
            }
            guard type.equality?.oid == "2.5.13.1" else {
                throw error(
                    word.line,
                    "\(clause.key)= needs a DN-valued type (distinguishedNameMatch); '\(type.primaryName)' is not")
            }
            let scope: DNPattern.Scope = style == .one ? .one : style == .subtree ? .subtree : .children
            return AccessValueSelector(type: type, test: .dn(try pattern(text, scope: scope, word)))
        }
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

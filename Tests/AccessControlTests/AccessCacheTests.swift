@testable import AccessControl
import Foundation
import LDAPProtocol
import Schema
import Testing

/// The evaluation's shortcuts (issue 5, point 6: parent scopes shared by all searches, RDN keys written only when
/// compared, rule sets as bits, decision tables per signature, `match=` answers per value, repeated `match=`
/// evaluated once) against a reference evaluator that does what the rules say the plain way: normalise the
/// whole DN, walk the rules in order, test each clause. Every cache must give the reference's answers.
@Suite("Access caches give the plain evaluation's answers")
struct AccessCacheTests {
    /// The privileges by the definition (docs/access-control.md, "Evaluation order" and "Value rules"), with
    /// nothing cached: about the attribute (`value` nil, value rules passed over) or about one value of it (value
    /// rules whose clause names the value apply in their place in the file).
    static func reference(
        _ policy: AccessPolicy, _ attribute: AccessAttribute, of entry: Entry, as subject: AccessSubject,
        value: [UInt8]? = nil
    ) -> AccessPrivileges {
        if subject.isRoot { return AccessLevel.manage.privileges }
        let name = policy.normalizer.name(entry.dn)
        var granted: AccessPrivileges = []
        for rule in policy.rules {
            if let pattern = rule.dn {
                guard let name, pattern.matches(name) else { continue }
            }
            if let filter = rule.filter, !filter.matches(entry) { continue }
            guard rule.attributes.contains(attribute) else { continue }
            if let selector = rule.value {
                guard let value,
                    selector.matches(value, assertion: false, context: policy.context, normalizer: policy.normalizer)
                else { continue }
            }
            for clause in rule.clauses {
                let applies: Bool
                switch clause.who {
                case .anyone: applies = true
                case .anonymous: applies = subject.dn == nil
                case .users: applies = subject.dn != nil
                case .this: applies = subject.name != nil && subject.name == name
                case .dn(let pattern): applies = subject.name.map(pattern.matches) ?? false
                case .group(let index): applies = subject.groups.contains(index)
                case .filter(let index): applies = subject.filters.contains(index)
                case .match(let index): applies = referenceMatch(policy, index, subject: subject, target: entry)
                }
                if applies {
                    granted = clause.level.privileges
                    break
                }
            }
            break
        }
        if case .type(let type) = attribute, policy.isPassword(type) { granted.subtract(.revealing) }
        return granted
    }

    /// `match=` by the definition: a target value of the type or a subtype, normalised by the type's equality
    /// rule, among the subject's.
    static func referenceMatch(_ policy: AccessPolicy, _ index: Int, subject: AccessSubject, target: Entry) -> Bool {
        guard let held = subject.matchValues[index] else { return false }
        let reference = policy.matches[index]
        for attribute in target.attributes {
            guard let type = policy.context.attributeType(named: attribute.description.type),
                type.isSubtype(of: reference.targetType.id)
            else { continue }
            for value in attribute.values {
                if let normalized = try? policy.context.normalize(value, rule: reference.rule, of: reference.targetType),
                    held.contains(normalized)
                {
                    return true
                }
            }
        }
        return false
    }

    static func shippedRules() throws -> String {
        try String(contentsOfFile: TestSchema.root.appendingPathComponent("config/access.rules").path, encoding: .utf8)
    }

    static func correspondent(_ uid: String, territory: [String]) throws -> Entry {
        try entry(
            "uid=\(uid),ou=admins,\(suffix)",
            [
                ("objectClass", ["inetOrgPerson", "aspasieCorrespondent"]), ("uid", [uid]), ("cn", ["c"]),
                ("sn", ["c"]), ("aspasieIdentifier", [uid]), ("aspasieTerritoryCodique", territory),
            ])
    }

    /// Entries under several parents, at several depths, with the subjects' own among them, a structure, an
    /// RDN spelt in another case, a DN whose RDN is invalid for its type's rule, the root DSE and the suffix.
    static func targets() throws -> [Entry] {
        try [
            person("a-xt"), person("b-xt", codique: "0750001"), person("c-xt"), person("A-XT"),
            person("e-xt", codique: " 0950001 "),
            correspondent("chantal", territory: ["0950001"]),
            entry("ou=people,\(suffix)", [("objectClass", ["organizationalUnit"]), ("ou", ["people"])]),
            entry("OU=People,\(suffix)", [("objectClass", ["organizationalUnit"]), ("ou", ["people"])]),
            entry(suffix, [("objectClass", ["domain"]), ("dc", ["example"])]),
            entry("", [("objectClass", ["top"])]),
            entry("cn=monitor", [("objectClass", ["top"])]),
            entry(
                "ou=s1,ou=structures,\(suffix)",
                [("objectClass", ["organizationalUnit", "aspasieStructure"]), ("ou", ["s1"]), ("aspasieCodique", ["0950001"])]),
            entry("uidNumber=not-a-number,ou=people,\(suffix)", [("objectClass", ["top"])]),
            entry("cn=x,uid=a-xt,ou=people,\(suffix)", [("objectClass", ["top"])]),
            person("d-xt", codique: "0750001"),
        ]
    }

    static func attributes() throws -> [AccessAttribute] {
        try [
            .entry, .children, type("mail"), type("mobile"), type("userPassword"), type("cn"), type("entryUUID"),
            type("uid"), type("aspasieCodique"), type("objectClass"),
        ]
    }

    /// Checks every subject × target × attribute three ways: with one cache per subject (targets twice, so that
    /// tables are made and then reused), with none, and by the reference.
    static func compare(_ compiled: AccessPolicy, subjects: [AccessSubject], targets: [Entry]) throws {
        let attributes = try attributes()
        for who in subjects {
            let cache = AccessCache()
            for target in targets + targets + targets.reversed() {
                let cached = compiled.access(to: target, as: who, cache: cache)
                let fresh = compiled.access(to: target, as: who)
                for attribute in attributes {
                    let expected = reference(compiled, attribute, of: target, as: who)
                    #expect(cached.privileges(attribute) == expected, "cached: \(target.dn) \(attribute) \(String(describing: who.dn))")
                    #expect(fresh.privileges(attribute) == expected, "fresh: \(target.dn) \(attribute) \(String(describing: who.dn))")
                    // Each value of the target (and one it lacks), as a Modify or a search result checks it.
                    guard case .type(let type) = attribute else { continue }
                    let values = target.attributes.filter {
                        compiled.context.attributeType(named: $0.description.type)?.id == type.id
                    }.flatMap(\.values) + [Array("aspasieCorrespondent".utf8)]
                    for value in values {
                        let expected = reference(compiled, attribute, of: target, as: who, value: value)
                        #expect(cached.privileges(type, value: value) == expected, "cached value: \(target.dn) \(attribute)")
                        #expect(fresh.privileges(type, value: value) == expected, "fresh value: \(target.dn) \(attribute)")
                        if cached.valuesMayDiffer(.read, type) == false {
                            #expect(expected.contains(.read) == cached.allows(.read, attribute), "differs: \(attribute)")
                        }
                    }
                }
            }
        }
    }

    static func subjects(_ compiled: AccessPolicy) throws -> [AccessSubject] {
        let portal = compiled.subject(boundAs: try DistinguishedName("uid=portal,ou=admins,\(suffix)"), entry: nil) { _ in nil }
        return [
            .anonymous, portal,
            subject(compiled, try correspondent("chantal", territory: ["0950001"])),
            subject(compiled, try correspondent("marc", territory: ["0750001", "0950001 "])),
            subject(compiled, try person("a-xt")), subject(compiled, try person("b-xt", codique: "0750001")),
            .root(try DistinguishedName("cn=admin,\(suffix)")),
        ]
    }

    @Test("the shipped policy: cached, uncached and reference answers agree")
    func shippedPolicy() throws {
        let compiled = try policy(try Self.shippedRules())
        try Self.compare(compiled, subjects: try Self.subjects(compiled), targets: try Self.targets())
    }

    @Test("more than 64 rules (rule sets beyond one word), filters in <what>, repeated match=")
    func largePolicy() throws {
        var text = ""
        for index in 0..<70 {
            text += "access to dn.base=\"uid=u\(index)-xt,ou=people,${suffix}\" attrs=mail by * search\n"
        }
        text += """
            access to filter="(aspasieCodique=0750001)" attrs=cn by match="aspasieTerritoryCodique=aspasieCodique" write by * none
            access to dn.children="ou=people,${suffix}" attrs=mobile by match="aspasieTerritoryCodique=aspasieCodique" write by self read
            access to dn.one="ou=people,${suffix}" attrs=entry,uid by self write by match="aspasieTerritoryCodique=aspasieCodique" read by users search
            access to dn.subtree="${suffix}" attrs=@aspasiePerson by match="aspasieTerritoryCodique=aspasieCodique" read by users compare
            """ + "\n" + (try Self.shippedRules())
        let compiled = try policy(text)
        #expect(compiled.ruleCount > 64)
        var targets = try Self.targets()
        targets += try [person("u3-xt"), person("u65-xt"), person("u69-xt", codique: "0750001"), person("u70-xt")]
        try Self.compare(compiled, subjects: try Self.subjects(compiled) + [subject(compiled, try person("u65-xt"))], targets: targets)
    }

    @Test("the parent memo is shared by caches and subjects without mixing their answers")
    func sharedParents() throws {
        let compiled = try policy(try Self.shippedRules())
        let subjects = try Self.subjects(compiled)
        let targets = try Self.targets()
        let attributes = try Self.attributes()
        // Interleaved: every cache sees the parents another cache (another subject) put in the memo first.
        let caches = subjects.map { _ in AccessCache() }
        for target in targets + targets {
            for (who, cache) in zip(subjects, caches) {
                let access = compiled.access(to: target, as: who, cache: cache)
                for attribute in attributes {
                    #expect(access.privileges(attribute) == Self.reference(compiled, attribute, of: target, as: who))
                }
            }
        }
    }

    @Test("decision identity: the same object for entries of the same signature only")
    func decisionIdentity() throws {
        let compiled = try policy(try Self.shippedRules())
        let chantal = subject(compiled, try Self.correspondent("chantal", territory: ["0950001"]))
        let cache = AccessCache()
        let first = compiled.access(to: try person("a-xt"), as: chantal, cache: cache)
        // A signature seen once has no table yet (a one-entry search decides directly).
        #expect(first.decisionIdentity == nil)
        let inside = compiled.access(to: try person("c-xt"), as: chantal, cache: cache).decisionIdentity
        let insideAgain = compiled.access(to: try person("e-xt"), as: chantal, cache: cache).decisionIdentity
        _ = compiled.access(to: try person("b-xt", codique: "0750001"), as: chantal, cache: cache)
        let outside = compiled.access(to: try person("d-xt", codique: "0750001"), as: chantal, cache: cache).decisionIdentity
        #expect(inside != nil && inside === insideAgain)
        #expect(outside != nil && outside !== inside)
        #expect(compiled.access(to: try person("a-xt"), as: chantal).decisionIdentity == nil)
    }
}

import LDAPProtocol
import Schema
import Testing

@Suite("Filter evaluation")
struct FilterEvaluationTests {
    static func babs() throws -> Entry {
        try makeEntry(
            "cn=Babs Jensen,ou=People,dc=example,dc=com",
            [
                ("objectClass", ["inetOrgPerson"]),
                ("cn", ["Babs Jensen"]),
                ("cn;lang-fr", ["Babette"]),
                ("sn", ["Jensen"]),
                ("mail", ["bjensen@example.com"]),
                ("telephoneNumber", ["+1 408 555 1212"]),
                ("description", ["foo bar"]),
                ("jpegPhoto", ["\u{1}binary"]),
                ("createTimestamp", ["20240315123000Z"]),
                ("pwdChangedTime", ["20240101000000+0100"]),
            ])
    }

    static func policy() throws -> Entry {
        try makeEntry(
            "cn=default,ou=Policies,dc=example,dc=com",
            [
                ("objectClass", ["device", "pwdPolicy"]), ("cn", ["default"]), ("pwdAttribute", ["userPassword"]),
                ("pwdMinLength", ["8"]), ("pwdMaxAge", ["-3600"]), ("pwdInHistory", ["123456789012345678901234567890"]),
            ])
    }

    private func evaluate(_ filter: String, on entry: Entry) throws -> FilterResult {
        let context = try ShippedContext.get()
        return context.evaluate(try Filter(string: filter), on: entry)
    }

    private func check(_ cases: [(String, FilterResult)], on entry: Entry) throws {
        for (filter, expected) in cases {
            let result = try evaluate(filter, on: entry)
            #expect(result == expected, "\(filter)")
        }
    }

    @Test func equalityUnderTheTypesRule() throws {
        try check(
            [
                ("(cn=Babs Jensen)", .true), ("(cn=babs   JENSEN )", .true), ("(commonName=babs jensen)", .true),
                ("(2.5.4.3=BABS JENSEN)", .true), ("(CN=Bjorn Jensen)", .false), ("(sn=jensen)", .true),
                ("(telephoneNumber=+14085551212)", .true), ("(telephoneNumber=+1-408-555-1212)", .true),
                ("(mail=BJENSEN@EXAMPLE.COM)", .true), ("(createTimestamp=20240315133000+0100)", .true),
                ("(createTimestamp=20240315123000.000Z)", .true), ("(createTimestamp=20240315123001Z)", .false),
            ], on: try Self.babs())
    }

    @Test func approxIsEquality() throws {
        try check(
            [("(cn~=babs jensen)", .true), ("(cn~=Babs Jansen)", .false), ("(nope~=x)", .undefined)],
            on: try Self.babs())
    }

    @Test func subtypesMatchAFilterOnTheirSupertype() throws {
        try check(
            [
                ("(name=Babs Jensen)", .true), ("(name=jensen)", .true), ("(name=Babette)", .true), ("(name=*)", .true),
                ("(name=bjensen@example.com)", .false), ("(name=J*)", .true),
            ], on: try Self.babs())
        let context = try ShippedContext.get()
        let structure = try makeEntry(
            "aspasieSiret=1,dc=example",
            [("aspasiePrincipalManager", ["cn=Babs Jensen,ou=People,dc=example,dc=com"])])
        // aspasiePrincipalManager is a subtype of aspasieStructureMember; DNs compare schema-aware.
        #expect(
            context.evaluate(
                try Filter(string: "(aspasieStructureMember=CN=babs jensen, ou=people,dc=EXAMPLE,dc=com)"),
                on: structure) == .true)
        #expect(
            context.evaluate(
                try Filter(string: "(aspasieStructureMember=2.5.4.3=Babs Jensen,ou=People,dc=example,dc=com)"),
                on: structure) == .true)
        #expect(
            context.evaluate(
                try Filter(string: "(distinguishedName=cn=babs jensen,ou=people,dc=example,dc=com)"), on: structure)
                == .true)
    }

    @Test func attributeOptions() throws {
        try check(
            [
                ("(cn;lang-fr=babette)", .true), ("(cn;LANG-FR=Babette)", .true), ("(cn;lang-fr=Babs Jensen)", .false),
                ("(cn=Babette)", .true), ("(cn;lang-de=Babette)", .false), ("(cn;lang-fr=*)", .true),
                ("(cn;lang-de=*)", .false), ("(name;lang-fr=babette)", .true),
            ], on: try Self.babs())
    }

    @Test func presence() throws {
        let entry = try Self.babs()
        try check(
            [
                ("(cn=*)", .true), ("(2.5.4.3=*)", .true), ("(seeAlso=*)", .false), ("(unknownType=*)", .false),
                ("(!(unknownType=*))", .true), ("(objectClass=*)", .true), ("(createTimestamp=*)", .true),
            ], on: entry)
        // objectClass=* is TRUE even for an entry that lacks the attribute.
        let bare = Entry(dn: .root, attributes: [])
        #expect(try evaluate("(objectClass=*)", on: bare) == .true)
        #expect(try evaluate("(!(objectClass=*))", on: bare) == .false)
    }

    @Test func objectClassMatchesSuperclassesByNameOrOID() throws {
        try check(
            [
                ("(objectClass=inetOrgPerson)", .true), ("(objectClass=person)", .true),
                ("(objectClass=2.5.6.6)", .true),
                ("(objectClass=TOP)", .true), ("(objectClass=organization)", .false),
                ("(objectClass=noSuchClass)", .false),
                ("(objectClass=not an oid)", .undefined),
            ], on: try Self.babs())
    }

    /// RFC 4511 §4.5.1.7: the three-valued logic of NOT, AND and OR with Undefined items.
    @Test func threeValuedLogic() throws {
        try check(
            [
                ("(unknownType=x)", .undefined), ("(!(unknownType=x))", .undefined),
                ("(&(cn=Babs Jensen)(unknownType=x))", .undefined), ("(&(cn=nobody)(unknownType=x))", .false),
                ("(|(cn=Babs Jensen)(unknownType=x))", .true), ("(|(cn=nobody)(unknownType=x))", .undefined),
                ("(!(&(cn=nobody)(unknownType=x)))", .true), ("(!(|(cn=nobody)(unknownType=x)))", .undefined),
                ("(&)", .true), ("(|)", .false), ("(!(&))", .false),
                // No rule for the kind of match: Undefined.
                ("(cn>=a)", .undefined), ("(jpegPhoto=x)", .undefined), ("(objectClass=*person*)", .undefined),
                // An assertion value the rule refuses: Undefined.
                ("(createTimestamp=yesterday)", .undefined), ("(mail=é@example.com)", .undefined),
            ], on: try Self.babs())
    }

    @Test func substrings() throws {
        try check(
            [
                ("(cn=Babs*)", .true), ("(cn=babs j*)", .true), ("(cn=*JEN*)", .true), ("(cn=*sen)", .true),
                ("(cn=b*s*j*n)", .true), ("(cn=*xyz*)", .false), ("(cn=*Babs)", .false), ("(sn=J*n*s*n)", .true),
                ("(sn=J*nsen*n)", .false), ("(cn=babs*jensen)", .true), ("(cn=babs*s*jensen)", .false),
                ("(telephoneNumber=*555*)", .true), ("(telephoneNumber=*555 12*)", .true),
                ("(telephoneNumber=+1408*)", .true), ("(mail=*@example.com)", .true),
                // RFC 4518 appendix B.
                ("(description=foo\\20*\\20bar)", .true),
            ], on: try Self.babs())
    }

    @Test func orderingOnIntegers() throws {
        try check(
            [
                ("(pwdMinLength>=8)", .true), ("(pwdMinLength>=9)", .false), ("(pwdMinLength<=8)", .true),
                ("(pwdMinLength<=7)", .false), ("(pwdMinLength>=-100)", .true), ("(pwdMinLength<=10)", .true),
                ("(pwdMaxAge<=-3600)", .true), ("(pwdMaxAge<=-3601)", .false), ("(pwdMaxAge>=-4000)", .true),
                ("(pwdMaxAge>=0)", .false), ("(pwdInHistory>=99999999999999999999999999999)", .true),
                ("(pwdInHistory<=99999999999999999999999999999)", .false), ("(pwdMinLength>=08)", .undefined),
                ("(pwdMinLength>=eight)", .undefined), ("(pwdMinLength=8)", .true),
            ], on: try Self.policy())
    }

    @Test func orderingOnGeneralizedTime() throws {
        try check(
            [
                ("(createTimestamp>=20240315123000Z)", .true), ("(createTimestamp>=202403151230Z)", .true),
                ("(createTimestamp>=20240315123000.5Z)", .false), ("(createTimestamp<=2024031512Z)", .false),
                ("(createTimestamp<=20240315133000+0100)", .true), ("(createTimestamp<=20240315132959+0100)", .false),
                ("(createTimestamp>=19991231235959Z)", .true), ("(createTimestamp>=2024)", .undefined),
                // 2024-01-01T00:00+01:00 is 2023-12-31T23:00Z.
                ("(pwdChangedTime<=20231231230000Z)", .true), ("(pwdChangedTime>=20240101000000Z)", .false),
            ], on: try Self.babs())
    }

    @Test func extensibleMatch() throws {
        try check(
            [
                // Rule and type.
                ("(cn:caseExactMatch:=Babs Jensen)", .true), ("(cn:caseExactMatch:=babs jensen)", .false),
                ("(cn:2.5.13.5:=Babs Jensen)", .true), ("(name:caseExactMatch:=Jensen)", .true),
                ("(cn:caseIgnoreSubstringsMatch:=\\2aJENS\\2a)", .true),
                ("(createTimestamp:generalizedTimeOrderingMatch:=20250101000000Z)", .true),
                ("(createTimestamp:generalizedTimeOrderingMatch:=20240101000000Z)", .false),
                // Type only: the type's equality rule.
                ("(cn:=babs jensen)", .true), ("(sn:=nobody)", .false),
                // Rule only: every attribute the rule applies to.
                ("(:caseExactMatch:=Jensen)", .true), ("(:caseExactMatch:=jensen)", .false),
                ("(:2.5.13.2:=BJENSEN@example.com)", .true), ("(:caseIgnoreSubstringsMatch:=\\2aabet\\2a)", .true),
                ("(:generalizedTimeMatch:=20240315123000Z)", .true),
                // Unknown rule or type, a rule that does not apply to the type, a type without equality: Undefined.
                ("(cn:noSuchRule:=x)", .undefined), ("(noSuchType:caseExactMatch:=x)", .undefined),
                ("(cn:integerMatch:=5)", .undefined), ("(jpegPhoto:=x)", .undefined),
                ("(createTimestamp:generalizedTimeMatch:=soon)", .undefined),
            ], on: try Self.babs())
    }

    @Test func extensibleMatchWithDNAttributes() throws {
        try check(
            [
                ("(ou=People)", .false), ("(ou:dn:=people)", .true), ("(ou:dn:caseExactMatch:=People)", .true),
                ("(ou:dn:caseExactMatch:=people)", .false), ("(dc:dn:=EXAMPLE)", .true), ("(:dn:2.5.13.2:=com)", .true),
                ("(:dn:caseIgnoreMatch:=nowhere)", .false), ("(:caseIgnoreMatch:=people)", .false),
                ("(name:dn:=people)", .true), ("(cn:dn:=Babs Jensen)", .true), ("(ou;lang-fr:dn:=people)", .false),
                ("(!(ou:dn:=people))", .false),
            ], on: try Self.babs())
    }

    @Test func preparedFilterIsReusableAcrossEntries() throws {
        let context = try ShippedContext.get()
        let prepared = context.prepare(try Filter(string: "(&(objectClass=person)(|(sn=Jensen)(cn=default)))"))
        #expect(prepared.matches(try Self.babs()))
        #expect(!prepared.matches(try Self.policy()))
        let either = PreparedFilter(try Filter(string: "(|(pwdMinLength>=1)(cn=Babs*))"), context: context)
        let babs = try Self.babs()
        let policy = try Self.policy()
        #expect(either.matches(babs) && either.matches(policy))
    }

    @Test func nestingBeyondTheMaximumDepthIsUndefined() throws {
        let context = try ShippedContext.get()
        var filter = try Filter(string: "(cn=Babs Jensen)")
        for _ in 0..<10 { filter = .not(.not(filter)) }
        #expect(PreparedFilter(filter, context: context).evaluate(try Self.babs()) == .true)
        #expect(PreparedFilter(filter, context: context, maximumDepth: 5).evaluate(try Self.babs()) == .undefined)
    }
}

/// Random filters over random entries: NOT, AND and OR keep the laws of Kleene's three-valued logic.
@Suite("Filter evaluation properties")
struct FilterEvaluationPropertyTests {
    /// SplitMix64: a small seeded generator, so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let names = ["Babs", "babs", "Jensen", "Ann", "x y", "été"]
    static let numbers = ["-5", "0", "8", "12", "99999999999"]
    static let times = ["20240315123000Z", "19700101000000Z", "20991231235959Z"]

    static let atoms: [String] = {
        var atoms: [String] = []
        for value in names {
            atoms += ["(cn=\(value))", "(sn=\(value))", "(name=\(value))", "(cn~=\(value))", "(cn;lang-fr=\(value))"]
            atoms += ["(cn=\(value)*)", "(sn=*\(value.prefix(2))*)", "(:caseExactMatch:=\(value))"]
            atoms += ["(cn:dn:=\(value))"]
        }
        for value in numbers {
            atoms += ["(pwdMinLength>=\(value))", "(pwdMinLength<=\(value))", "(pwdMinLength=\(value))"]
        }
        for value in times { atoms += ["(createTimestamp>=\(value))", "(createTimestamp<=\(value))"] }
        atoms += [
            "(cn=*)", "(sn=*)", "(pwdMinLength=*)", "(objectClass=*)", "(objectClass=person)", "(objectClass=device)",
            "(unknown=x)", "(unknown=*)", "(cn>=x)", "(jpegPhoto=x)", "(pwdMinLength>=abc)", "(createTimestamp<=soon)",
            "(cn:noSuchRule:=x)", "(&)", "(|)",
        ]
        return atoms
    }()

    static func randomEntry(_ generator: inout Generator) throws -> Entry {
        var attributes: [(String, [String])] = [
            (
                "objectClass",
                [["person"], ["device", "pwdPolicy"], ["inetOrgPerson"]].randomElement(using: &generator)!
            )
        ]
        let cn = names.shuffled(using: &generator).prefix(Int.random(in: 0...2, using: &generator))
        if !cn.isEmpty { attributes.append(("cn", Array(cn))) }
        if Bool.random(using: &generator) { attributes.append(("sn", [names.randomElement(using: &generator)!])) }
        if Bool.random(using: &generator) {
            attributes.append(("cn;lang-fr", [names.randomElement(using: &generator)!]))
        }
        if Bool.random(using: &generator) {
            attributes.append(("pwdMinLength", [numbers.randomElement(using: &generator)!]))
        }
        if Bool.random(using: &generator) {
            attributes.append(("createTimestamp", [times.randomElement(using: &generator)!]))
        }
        if Bool.random(using: &generator) { attributes.append(("jpegPhoto", ["x"])) }
        let rdn = names.randomElement(using: &generator)!
        return try makeEntry("cn=\(rdn),ou=\(names.randomElement(using: &generator)!),dc=example", attributes)
    }

    static func randomFilter(_ generator: inout Generator, depth: Int) throws -> Filter {
        if depth == 0 || Int.random(in: 0..<3, using: &generator) == 0 {
            return try Filter(string: atoms.randomElement(using: &generator)!)
        }
        let count = Int.random(in: 1...3, using: &generator)
        var children: [Filter] = []
        for _ in 0..<count { children.append(try randomFilter(&generator, depth: depth - 1)) }
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: return .and(children)
        case 1: return .or(children)
        default: return .not(children[0])
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func negationAndDeMorgan(seed: UInt64) throws {
        let context = try ShippedContext.get()
        var generator = Generator(state: seed)
        var seen: [FilterResult: Int] = [:]
        for _ in 0..<300 {
            let entry = try Self.randomEntry(&generator)
            let a = try Self.randomFilter(&generator, depth: 3)
            let b = try Self.randomFilter(&generator, depth: 3)
            let resultA = context.evaluate(a, on: entry)
            let resultB = context.evaluate(b, on: entry)
            seen[resultA, default: 0] += 1
            let notA = context.evaluate(.not(a), on: entry)
            if resultA != .undefined {
                #expect(resultA == !notA, "\(a.stringRepresentation) on \(entry.dn)")
            } else {
                #expect(notA == .undefined, "\(a.stringRepresentation)")
            }
            #expect(
                context.evaluate(.not(.and([a, b])), on: entry)
                    == context.evaluate(.or([.not(a), .not(b)]), on: entry),
                "\(a.stringRepresentation) \(b.stringRepresentation)")
            #expect(
                context.evaluate(.not(.or([a, b])), on: entry)
                    == context.evaluate(.and([.not(a), .not(b)]), on: entry),
                "\(a.stringRepresentation) \(b.stringRepresentation)")
            #expect(context.evaluate(.and([a, b]), on: entry) == resultA.and(resultB))
            #expect(context.evaluate(.or([a, b]), on: entry) == resultA.or(resultB))
            #expect(context.prepare(a).matches(entry) == (resultA == .true))
        }
        // The generator reaches all three results, so the laws are exercised on each.
        #expect(seen[.true, default: 0] > 10 && seen[.false, default: 0] > 10 && seen[.undefined, default: 0] > 0)
    }
}

import LDAPProtocol
import NIOCore
import Testing

private func bytes(_ string: String) -> ByteBuffer {
    ByteBuffer(string: string)
}

private func bytes(_ array: [UInt8]) -> ByteBuffer {
    ByteBuffer(bytes: array)
}

private func equality(_ attribute: String, _ value: String) -> Filter {
    .equalityMatch(AttributeValueAssertion(attribute, value))
}

private func extensible(_ type: String?, rule: String?, dn: Bool = false, _ value: String) -> Filter {
    .extensibleMatch(
        MatchingRuleAssertion(
            matchingRule: rule.map(bytes),
            type: type.map(bytes),
            matchValue: bytes(value),
            dnAttributes: dn
        ))
}

@Suite("Filter string form (RFC 4515)")
struct FilterStringTests {
    /// Every example of RFC 4515 §4: the string, the filter, and the string printed back.
    static let rfcExamples: [(String, Filter, String)] = [
        ("(cn=Babs Jensen)", equality("cn", "Babs Jensen"), "(cn=Babs Jensen)"),
        ("(!(cn=Tim Howes))", .not(equality("cn", "Tim Howes")), "(!(cn=Tim Howes))"),
        (
            "(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))",
            .and([
                equality("objectClass", "Person"),
                .or([
                    equality("sn", "Jensen"),
                    .substrings(SubstringFilter(attributeDescription: bytes("cn"), initial: bytes("Babs J"))),
                ]),
            ]),
            "(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))"
        ),
        (
            "(o=univ*of*mich*)",
            .substrings(
                SubstringFilter(
                    attributeDescription: bytes("o"), initial: bytes("univ"), any: [bytes("of"), bytes("mich")])),
            "(o=univ*of*mich*)"
        ),
        ("(seeAlso=)", equality("seeAlso", ""), "(seeAlso=)"),
        (
            "(cn:caseExactMatch:=Fred Flintstone)",
            extensible("cn", rule: "caseExactMatch", "Fred Flintstone"),
            "(cn:caseExactMatch:=Fred Flintstone)"
        ),
        ("(cn:=Betty Rubble)", extensible("cn", rule: nil, "Betty Rubble"), "(cn:=Betty Rubble)"),
        (
            "(sn:dn:2.4.6.8.10:=Barney Rubble)",
            extensible("sn", rule: "2.4.6.8.10", dn: true, "Barney Rubble"),
            "(sn:dn:2.4.6.8.10:=Barney Rubble)"
        ),
        ("(o:dn:=Ace Industry)", extensible("o", rule: nil, dn: true, "Ace Industry"), "(o:dn:=Ace Industry)"),
        (
            "(:1.2.3:=Wilma Flintstone)", extensible(nil, rule: "1.2.3", "Wilma Flintstone"),
            "(:1.2.3:=Wilma Flintstone)"
        ),
        ("(:DN:2.4.6.8.10:=Dino)", extensible(nil, rule: "2.4.6.8.10", dn: true, "Dino"), "(:dn:2.4.6.8.10:=Dino)"),
        (
            #"(o=Parens R Us \28for all your parenthetical needs\29)"#,
            equality("o", "Parens R Us (for all your parenthetical needs)"),
            #"(o=Parens R Us \28for all your parenthetical needs\29)"#
        ),
        (
            #"(cn=*\2A*)"#,
            .substrings(SubstringFilter(attributeDescription: bytes("cn"), any: [bytes("*")])),
            #"(cn=*\2a*)"#
        ),
        (#"(filename=C:\5cMyFile)"#, equality("filename", #"C:\MyFile"#), #"(filename=C:\5cMyFile)"#),
        (
            #"(bin=\00\00\00\04)"#,
            .equalityMatch(
                AttributeValueAssertion(attributeDescription: bytes("bin"), assertionValue: bytes([0, 0, 0, 4]))),
            #"(bin=\00\00\00\04)"#
        ),
        (#"(sn=Lu\c4\8di\c4\87)"#, equality("sn", "Lučić"), "(sn=Lučić)"),
        (
            #"(1.3.6.1.4.1.1466.0=\04\02\48\69)"#,
            .equalityMatch(
                AttributeValueAssertion(
                    attributeDescription: bytes("1.3.6.1.4.1.1466.0"),
                    assertionValue: bytes([0x04, 0x02, 0x48, 0x69])
                )),
            #"(1.3.6.1.4.1.1466.0=\04\02Hi)"#
        ),
    ]

    @Test("RFC 4515 §4 examples parse, print, and parse back", arguments: rfcExamples)
    func rfcExample(string: String, filter: Filter, printed: String) throws {
        #expect(try Filter(string: string) == filter)
        #expect(filter.stringRepresentation == printed)
        #expect(try Filter(string: printed) == filter)
    }

    @Test(
        "every choice of the grammar",
        arguments: [
            ("(cn~=Babs)", Filter.approxMatch(AttributeValueAssertion("cn", "Babs"))),
            ("(age>=21)", .greaterOrEqual(AttributeValueAssertion("age", "21"))),
            ("(age<=65)", .lessOrEqual(AttributeValueAssertion("age", "65"))),
            ("(cn=*)", .present(bytes("cn"))),
            ("(cn;lang-fr=*)", .present(bytes("cn;lang-fr"))),
            ("(cn;lang-fr;binary=x)", equality("cn;lang-fr;binary", "x")),
            ("(2.5.4.3=x)", equality("2.5.4.3", "x")),
            (
                "(cn=*a*b*c)",
                .substrings(
                    SubstringFilter(
                        attributeDescription: bytes("cn"), any: [bytes("a"), bytes("b")], final: bytes("c")))
            ),
            ("(cn=a*)", .substrings(SubstringFilter(attributeDescription: bytes("cn"), initial: bytes("a")))),
            ("(cn=*a)", .substrings(SubstringFilter(attributeDescription: bytes("cn"), final: bytes("a")))),
            ("(cn=*a*)", .substrings(SubstringFilter(attributeDescription: bytes("cn"), any: [bytes("a")]))),
            (
                "(cn=a*b)",
                .substrings(SubstringFilter(attributeDescription: bytes("cn"), initial: bytes("a"), final: bytes("b")))
            ),
            (
                "(cn=a**b)",
                .substrings(SubstringFilter(attributeDescription: bytes("cn"), initial: bytes("a"), final: bytes("b")))
            ),
            (#"(cn=\2a)"#, equality("cn", "*")),
            (#"(cn=a\2A\2a*)"#, .substrings(SubstringFilter(attributeDescription: bytes("cn"), initial: bytes("a**")))),
            ("(cn=a b  )", equality("cn", "a b  ")),
            ("(cn=é=x)", equality("cn", "é=x")),
            ("(cn:dn:=x)", extensible("cn", rule: nil, dn: true, "x")),
            ("(cn:Dn:=x)", extensible("cn", rule: nil, dn: true, "x")),
            ("(:dn:caseIgnoreMatch:=x)", extensible(nil, rule: "caseIgnoreMatch", dn: true, "x")),
            ("(cn:dn:dn:=x)", extensible("cn", rule: "dn", dn: true, "x")),
            ("(cn;lang-fr:1.2.3:=x)", extensible("cn;lang-fr", rule: "1.2.3", "x")),
            ("(:1.2.3:=)", extensible(nil, rule: "1.2.3", "")),
            ("(&)", .and([])),
            ("(|)", .or([])),
            ("(&(a=1)(b=2)(c=3))", .and([equality("a", "1"), equality("b", "2"), equality("c", "3")])),
            ("(!(!(a=1)))", .not(.not(equality("a", "1")))),
            ("(|(!(a=1))(&(b=2)))", .or([.not(equality("a", "1")), .and([equality("b", "2")])])),
        ]
    )
    func choices(string: String, expected: Filter) throws {
        let filter = try Filter(string: string)
        #expect(filter == expected)
        #expect(try Filter(string: filter.stringRepresentation) == filter)
    }

    @Test(
        "lenient forms: no outer parentheses, spaces between components",
        arguments: [
            ("cn=foo", "(cn=foo)"),
            ("  cn=foo", "(cn=foo)"),
            ("cn=*", "(cn=*)"),
            ("cn:dn:=x", "(cn:dn:=x)"),
            ("&(a=1)(b=2)", "(&(a=1)(b=2))"),
            ("!(a=1)", "(!(a=1))"),
            (" (a=1) ", "(a=1)"),
            ("(& (a=1) (b=2) )", "(&(a=1)(b=2))"),
            ("(! (a=1) )", "(!(a=1))"),
            ("(| )", "(|)"),
        ]
    )
    func lenient(string: String, canonical: String) throws {
        #expect(try Filter(string: string) == Filter(string: canonical))
        #expect(try Filter(string: string).stringRepresentation == canonical)
    }

    @Test("values escape *, (, ), \\, NUL, controls and non-UTF-8 bytes when printed")
    func printingEscapes() throws {
        let value: [UInt8] = [0x2A, 0x28, 0x29, 0x5C, 0x00, 0xFF, 0x41, 0xC3, 0xA9, 0x0A, 0x7F, 0xE2, 0x82, 0x20]
        let filter = Filter.equalityMatch(
            AttributeValueAssertion(attributeDescription: bytes("cn"), assertionValue: bytes(value)))
        #expect(filter.stringRepresentation == #"(cn=\2a\28\29\5c\00\ffAé\0a\7f\e2\82 )"#)
        #expect(try Filter(string: filter.stringRepresentation) == filter)
    }

    // MARK: Errors

    @Test(
        "invalid filters are refused with the kind and offset of the problem",
        arguments: [
            ("", FilterSyntaxError.Kind.empty, 0),
            ("   ", .empty, 0),
            ("(", .unexpectedEnd(expected: "'&', '|', '!' or an attribute description"), 1),
            ("(cn=a", .unexpectedEnd(expected: "')' closing the filter"), 5),
            ("(cn", .unexpectedEnd(expected: "'=', '~=', '>=', '<=' or ':' after the attribute description"), 3),
            ("(cn=a))", .unexpectedCharacter(")", expected: "the end of the filter"), 6),
            ("(cn=a)(cn=b)", .unexpectedCharacter("(", expected: "the end of the filter"), 6),
            ("cn=a)", .unexpectedCharacter(")", expected: "the end of the filter"), 4),
            ("cn=a) ", .unexpectedCharacter(")", expected: "the end of the filter"), 4),
            ("(cn=a(b)", .unescapedCharacter("("), 5),
            ("(cn=a\u{0})", .unescapedCharacter("\u{0}"), 5),
            ("(cn~=a*)", .unescapedCharacter("*"), 6),
            ("(cn>=*)", .unescapedCharacter("*"), 5),
            ("(cn:=a*)", .unescapedCharacter("*"), 6),
            (#"(cn=a\2)"#, .invalidEscape, 5),
            (#"(cn=a\zz)"#, .invalidEscape, 5),
            (#"(cn=a\"#, .invalidEscape, 5),
            (
                "(c_n=a)",
                .unexpectedCharacter("_", expected: "'=', '~=', '>=', '<=' or ':' after the attribute description"), 2
            ),
            (
                "(cn!=a)",
                .unexpectedCharacter("!", expected: "'=', '~=', '>=', '<=' or ':' after the attribute description"), 3
            ),
            ("(cn~a)", .unexpectedCharacter("a", expected: "'=' completing the operator"), 4),
            ("(=a)", .unexpectedCharacter("=", expected: "an attribute description"), 1),
            ("( cn=a)", .unexpectedCharacter(" ", expected: "an attribute description"), 1),
            ("(1.=a)", .invalidAttributeDescription("1."), 1),
            ("(1=a)", .invalidAttributeDescription("1"), 1),
            ("(cn;=a)", .invalidAttributeDescription("cn;"), 1),
            ("(-cn=a)", .invalidAttributeDescription("-cn"), 1),
            ("(:=a)", .missingMatchingRule, 2),
            ("(:dn:=a)", .missingMatchingRule, 5),
            ("(cn::=a)", .missingMatchingRule, 4),
            ("(cn:1..2:=a)", .invalidMatchingRule("1..2"), 4),
            ("(cn:rule=a)", .unexpectedCharacter("=", expected: "':=' after the matching rule"), 8),
            ("(cn:dn=a)", .unexpectedCharacter("=", expected: "':' after ':dn'"), 6),
            (
                "(!(a=b)(c=d))",
                .unexpectedCharacter("(", expected: "')' closing a '!' filter, which has exactly one component"), 7
            ),
            ("(!)", .unexpectedCharacter(")", expected: "'(' starting the filter negated by '!'"), 2),
            (")", .unexpectedCharacter(")", expected: "an attribute description"), 0),
            ("(&(a=b)", .unexpectedEnd(expected: "'(' starting a component or ')' closing the filter"), 7),
            ("(&(a=b)x)", .unexpectedCharacter("x", expected: "'(' starting a component or ')' closing the filter"), 7),
            ("(cn=**)", .emptySubstringFilter, 4),
            ("(é=a)", .unexpectedCharacter("é", expected: "an attribute description"), 1),
        ]
    )
    func errors(string: String, kind: FilterSyntaxError.Kind, offset: Int) {
        #expect(throws: FilterSyntaxError(kind, offset: offset)) {
            try Filter(string: string)
        }
    }

    @Test("error messages name the offset and say what to do")
    func errorMessages() {
        #expect(
            FilterSyntaxError(.unescapedCharacter("("), offset: 9).description
                == #"invalid filter at offset 9: '(' must be escaped in a value (write \28)"#)
        #expect(
            FilterSyntaxError(.tooDeep(maximumDepth: 100), offset: 300).description
                == "invalid filter at offset 300: filters are nested more than 100 levels deep")
        #expect(
            FilterSyntaxError(.unexpectedCharacter("\u{0}", expected: "')'"), offset: 3).description
                == #"invalid filter at offset 3: found '\0' where ')' was expected"#)
    }

    // MARK: Depth

    @Test("10,000 nested '!' are refused with an error, not a stack overflow", arguments: ["!", "&", "|"])
    func deepNesting(operator: String) {
        let depth = 10_000
        let string = String(repeating: "(\(`operator`)", count: depth) + "(a=b)" + String(repeating: ")", count: depth)
        #expect(throws: FilterSyntaxError(.tooDeep(maximumDepth: 100), offset: 200)) {
            try Filter(string: string)
        }
        let unterminated = String(repeating: "(\(`operator`)", count: depth)
        #expect(throws: FilterSyntaxError(.tooDeep(maximumDepth: 100), offset: 200)) {
            try Filter(string: unterminated)
        }
    }

    @Test("the depth limit counts every parenthesised level")
    func depthLimit() throws {
        #expect(try Filter(string: "(a=b)", maximumDepth: 1) == equality("a", "b"))
        #expect(throws: FilterSyntaxError(.tooDeep(maximumDepth: 1), offset: 2)) {
            try Filter(string: "(!(a=b))", maximumDepth: 1)
        }
        #expect(try Filter(string: "(!(!(a=b)))", maximumDepth: 3) == .not(.not(equality("a", "b"))))
        #expect(throws: FilterSyntaxError(.tooDeep(maximumDepth: 3), offset: 6)) {
            try Filter(string: "(!(!(!(a=b))))", maximumDepth: 3)
        }
        #expect(
            try Filter(string: "(&(a=1)(b=2)(c=3))", maximumDepth: 2)
                == .and([equality("a", "1"), equality("b", "2"), equality("c", "3")]))
    }

    @Test("a deep filter within a raised limit parses and prints without recursion")
    func deepWithinLimit() throws {
        let depth = 2_000
        let string = String(repeating: "(!", count: depth) + "(a=b)" + String(repeating: ")", count: depth)
        let filter = try Filter(string: string, maximumDepth: depth + 1)
        #expect(filter.stringRepresentation == string)
        var current = filter
        var levels = 0
        while case .not(let inner) = current {
            levels += 1
            current = inner
        }
        #expect(levels == depth)
        #expect(current == equality("a", "b"))
    }

    // MARK: Properties

    @Test("random filters: print then parse gives the same filter", arguments: 0..<4)
    func roundTrip(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<250 {
            let filter = Filter.random(depth: 0, using: &generator)
            let printed = filter.stringRepresentation
            #expect(try Filter(string: printed) == filter, "\(printed)")
            #expect(try Filter(string: printed).stringRepresentation == printed)
        }
    }
}

// MARK: - Random filters


extension Filter {
    private static let attributes = [
        "cn", "objectClass", "cn;lang-fr", "x-a-1;binary;lang-en", "2.5.4.3", "1.3.6.1.4.1.1466.0",
    ]
    /// No rule named `dn`: without dnAttributes, `(:dn:=x)` would read back as dnAttributes.
    private static let rules = ["caseExactMatch", "2.4.6.8.10", "x-rule-1"]
    private static let pieces: [[UInt8]] = [
        Array("a".utf8), Array("Z z".utf8), Array("*".utf8), Array("(".utf8), Array(")".utf8), Array("\\".utf8),
        [0], [0xFF], [0xC3], Array("é".utf8), Array("日本".utf8), Array("🙂".utf8), [0x0A], [0x7F], Array(" ".utf8),
        Array(":=".utf8), Array("&|!~<>".utf8),
    ]

    fileprivate static func random(depth: Int, using generator: inout SeededGenerator) -> Filter {
        let choice = Int.random(in: depth >= 4 ? 3..<10 : 0..<10, using: &generator)
        switch choice {
        case 0, 1:
            let children = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                Filter.random(depth: depth + 1, using: &generator)
            }
            return choice == 0 ? .and(children) : .or(children)
        case 2:
            return .not(.random(depth: depth + 1, using: &generator))
        case 3:
            return .equalityMatch(.random(using: &generator))
        case 4:
            return .greaterOrEqual(.random(using: &generator))
        case 5:
            return .lessOrEqual(.random(using: &generator))
        case 6:
            return .approxMatch(.random(using: &generator))
        case 7:
            return .present(ByteBuffer(string: Self.attributes.randomElement(using: &generator)!))
        case 8:
            var substrings = SubstringFilter(
                attributeDescription: ByteBuffer(string: Self.attributes.randomElement(using: &generator)!))
            repeat {
                substrings.initial =
                    Bool.random(using: &generator) ? Self.randomValue(nonEmpty: true, using: &generator) : nil
                substrings.any = (0..<Int.random(in: 0...2, using: &generator)).map { _ in
                    Self.randomValue(nonEmpty: true, using: &generator)
                }
                substrings.final =
                    Bool.random(using: &generator) ? Self.randomValue(nonEmpty: true, using: &generator) : nil
            } while substrings.initial == nil && substrings.any.isEmpty && substrings.final == nil
            return .substrings(substrings)
        default:
            let hasType = Bool.random(using: &generator)
            let hasRule = !hasType || Bool.random(using: &generator)
            return .extensibleMatch(
                MatchingRuleAssertion(
                    matchingRule: hasRule ? ByteBuffer(string: Self.rules.randomElement(using: &generator)!) : nil,
                    type: hasType ? ByteBuffer(string: Self.attributes.randomElement(using: &generator)!) : nil,
                    matchValue: Self.randomValue(nonEmpty: false, using: &generator),
                    dnAttributes: Bool.random(using: &generator)
                ))
        }
    }

    fileprivate static func randomValue(nonEmpty: Bool, using generator: inout SeededGenerator) -> ByteBuffer {
        let count = Int.random(in: (nonEmpty ? 1 : 0)...5, using: &generator)
        return ByteBuffer(bytes: (0..<count).flatMap { _ in Self.pieces.randomElement(using: &generator)! })
    }
}

extension AttributeValueAssertion {
    fileprivate static func random(using generator: inout SeededGenerator) -> AttributeValueAssertion {
        let attributes = ["cn", "sn;lang-de", "2.5.4.3", "age"]
        return AttributeValueAssertion(
            attributeDescription: ByteBuffer(string: attributes.randomElement(using: &generator)!),
            assertionValue: Filter.randomValue(nonEmpty: false, using: &generator)
        )
    }
}

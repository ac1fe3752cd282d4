import LDAPProtocol
import NIOCore
import Testing

@Suite("DistinguishedName (RFC 4514)")
struct DistinguishedNameTests {
    // MARK: Parsing

    @Test("RFC 4514 §4 examples parse to the expected components")
    func rfcExamples() throws {
        let uid = try DistinguishedName("UID=jsmith,DC=example,DC=net")
        #expect(
            uid.rdns == [
                RelativeDistinguishedName(type: "UID", value: "jsmith"),
                RelativeDistinguishedName(type: "DC", value: "example"),
                RelativeDistinguishedName(type: "DC", value: "net"),
            ])

        let sales = try DistinguishedName("OU=Sales+CN=J. Smith,DC=example,DC=net")
        #expect(sales.rdns.count == 3)
        #expect(
            sales.rdn?.attributes == [
                AttributeTypeAndValue(type: "OU", value: "Sales"),
                AttributeTypeAndValue(type: "CN", value: "J. Smith"),
            ])
        #expect(sales.rdn?.isMultiValued == true)

        let jim = try DistinguishedName(#"CN=James \"Jim\" Smith\, III,DC=example,DC=net"#)
        #expect(jim.rdn?.first.stringValue == #"James "Jim" Smith, III"#)

        let before = try DistinguishedName(#"CN=Before\0dAfter,DC=example,DC=net"#)
        #expect(before.rdn?.first.stringValue == "Before\rAfter")

        let ber = try DistinguishedName("1.3.6.1.4.1.1466.0=#04024869")
        #expect(
            ber.rdn?.first
                == AttributeTypeAndValue(type: "1.3.6.1.4.1.1466.0", value: [0x04, 0x02, 0x48, 0x69], isHexForm: true))
        #expect(ber.rdn?.first.stringValue == nil)

        let lucic = try DistinguishedName(#"SN=Lu\C4\8Di\C4\87"#)
        #expect(lucic.rdn?.first.stringValue == "Lučić")
    }

    @Test(
        "values: escapes decoded, unescaped surrounding spaces dropped",
        arguments: [
            ("cn=a", "a"),
            ("cn=  a  ", "a"),
            ("  cn  =  a b  ,dc=x", "a b"),
            (#"cn=a\20"#, "a "),
            (#"cn=\20a"#, " a"),
            (#"cn=a\ \ "#, "a  "),
            (#"cn=\ "#, " "),
            (##"cn=\#a"##, "#a"),
            ("cn=a#b", "a#b"),
            ("cn=a=b", "a=b"),
            (##"cn=\"\+\,\;\<\>\\\=\#\ "##, #""+,;<>\=# "#),
            (#"cn=\3c\3E\5c"#, #"<>\"#),
            ("cn=", ""),
            ("cn=é", "é"),
            (#"cn=a\00b"#, "a\u{0}b"),
        ]
    )
    func values(input: String, expected: String) throws {
        let dn = try DistinguishedName(input)
        #expect(dn.rdn?.first.value == Array(expected.utf8))
        #expect(dn.rdn?.first.isHexForm == false)
    }

    @Test("separators: ',' and ';' between RDNs, '+' inside one, spaces around them")
    func separators() throws {
        let expected = DistinguishedName(rdns: [
            RelativeDistinguishedName(attributes: [
                AttributeTypeAndValue(type: "cn", value: "a"),
                AttributeTypeAndValue(type: "sn", value: "b"),
            ])!,
            RelativeDistinguishedName(type: "dc", value: "c"),
            RelativeDistinguishedName(type: "dc", value: "d"),
        ])
        #expect(try DistinguishedName("cn=a+sn=b,dc=c,dc=d") == expected)
        #expect(try DistinguishedName("cn=a + sn=b ; dc=c;dc=d") == expected)
        #expect(try DistinguishedName(" cn = a +sn= b , dc =c,  dc=d  ") == expected)
    }

    @Test("the empty string, and only spaces, are the root DN", arguments: ["", "   "])
    func root(input: String) throws {
        let dn = try DistinguishedName(input)
        #expect(dn == .root)
        #expect(dn.isRoot)
        #expect(dn.rdn == nil)
        #expect(dn.description == "")
    }

    @Test("a ByteBuffer of UTF-8 parses like the String")
    func byteBuffer() throws {
        let text = #"cn=Lučić\, J.+uid=lj,ou=People;dc=example"#
        #expect(try DistinguishedName(utf8: ByteBuffer(string: text)) == DistinguishedName(text))
        #expect(try DistinguishedName(utf8: Array(text.utf8)) == DistinguishedName(text))
    }

    // MARK: Errors

    @Test(
        "invalid DNs are refused with the kind and offset of the problem",
        arguments: [
            ("=a", DNSyntaxError.Kind.emptyAttributeType, 0),
            ("cn=a,,dc=b", .emptyAttributeType, 5),
            ("cn=a,+dc=b", .emptyAttributeType, 5),
            ("cn=a,", .emptyRDN, 5),
            ("cn=a+ ", .emptyRDN, 6),
            ("cn", .missingEquals(found: nil), 2),
            ("cn a=b", .missingEquals(found: "a"), 3),
            ("cn=a,dc", .missingEquals(found: nil), 7),
            ("c_n=a", .invalidAttributeType("c_n"), 0),
            ("é=a", .invalidAttributeType("é"), 0),
            ("2x=a", .invalidAttributeType("2x"), 0),
            ("1=a", .invalidNumericOID("1"), 0),
            ("1..2=a", .invalidNumericOID("1..2"), 0),
            ("1.02=a", .invalidNumericOID("1.02"), 0),
            ("1.2.=a", .invalidNumericOID("1.2."), 0),
            (#"cn=a\"#, .invalidEscape, 4),
            (#"cn=a\zz"#, .invalidEscape, 4),
            (#"cn=a\4"#, .invalidEscape, 4),
            (#"cn=a\4g"#, .invalidEscape, 4),
            (#"cn=a"b"#, .unescapedCharacter("\""), 4),
            ("cn=<", .unescapedCharacter("<"), 3),
            ("cn=a>", .unescapedCharacter(">"), 4),
            ("cn=a\u{0}", .unescapedCharacter("\u{0}"), 4),
            ("cn=#", .invalidHexValue("no hex digits after '#'"), 3),
            ("cn=#0", .invalidHexValue("odd number of hex digits"), 4),
            ("cn=#0402486", .invalidHexValue("odd number of hex digits"), 10),
            ("cn=#040248", .invalidHexValue("the BER length says 2 content bytes but 1 follow"), 3),
            ("cn=#0480", .invalidHexValue("the BER value uses the indefinite length form"), 3),
            ("cn=#04024869x", .unexpectedCharacterAfterHexValue("x"), 12),
            ("cn=#04024869 x", .unexpectedCharacterAfterHexValue("x"), 13),
            (#"cn=\c4"#, .invalidUTF8, 3),
            (#"cn=é\ff"#, .invalidUTF8, 5),
            (#"cn=a\c3\28"#, .invalidUTF8, 4),
        ]
    )
    func errors(input: String, kind: DNSyntaxError.Kind, offset: Int) {
        #expect(throws: DNSyntaxError(kind, offset: offset)) {
            try DistinguishedName(input)
        }
    }

    @Test("invalid UTF-8 in a ByteBuffer is refused at its offset")
    func invalidUTF8Input() {
        var buffer = ByteBuffer(string: "cn=ab")
        buffer.writeBytes([0xC3, 0x28])
        #expect(throws: DNSyntaxError(.invalidUTF8, offset: 5)) {
            try DistinguishedName(utf8: buffer)
        }
    }

    @Test("inputs longer than the maximum length are refused")
    func maximumLength() throws {
        #expect(throws: DNSyntaxError(.tooLong(length: 11, maximum: 10), offset: 10)) {
            _ = try DistinguishedName("cn=abcdefgh", maximumLength: 10)
        }
        #expect(try DistinguishedName("cn=abcdef", maximumLength: 9).rdns.count == 1)
    }

    @Test("error messages name the offset and say what to do")
    func errorMessages() {
        #expect(
            DNSyntaxError(.unescapedCharacter("<"), offset: 7).description
                == #"invalid DN at offset 7: '<' must be escaped in a value (write \3c)"#)
        #expect(
            DNSyntaxError(.missingEquals(found: nil), offset: 2).description
                == "invalid DN at offset 2: expected '=' after the attribute type, found the end of the DN")
        #expect(DNSyntaxError(.invalidNumericOID("1.02"), offset: 0).description.contains("'1.02'"))
    }

    // MARK: Printing

    @Test(
        "printing follows RFC 4514 §2.4",
        arguments: [
            ("UID=jsmith,DC=example,DC=net", "UID=jsmith,DC=example,DC=net"),
            ("OU=Sales+CN=J. Smith,DC=example,DC=net", "OU=Sales+CN=J. Smith,DC=example,DC=net"),
            (#"CN=James \"Jim\" Smith\, III,DC=example,DC=net"#, #"CN=James \"Jim\" Smith\, III,DC=example,DC=net"#),
            (#"CN=Before\0dAfter,DC=example,DC=net"#, "CN=Before\rAfter,DC=example,DC=net"),
            ("1.3.6.1.4.1.1466.0=#04024869", "1.3.6.1.4.1.1466.0=#04024869"),
            (#"SN=Lu\C4\8Di\C4\87"#, "SN=Lučić"),
            (##"cn=\#a#"##, ##"cn=\#a#"##),
            (#"cn=\ a\ "#, #"cn=\ a\ "#),
            (#"cn=\ "#, #"cn=\ "#),
            (#"cn=a \ b"#, "cn=a  b"),
            (#"cn=a\00b"#, #"cn=a\00b"#),
            (#"cn=\3c\3e\3b\2b\22\5c=#"#, #"cn=\<\>\;\+\"\\=#"#),
            ("cn = a , dc = b", "cn=a,dc=b"),
            ("cn=a;dc=b", "cn=a,dc=b"),
            ("cn=", "cn="),
            ("", ""),
        ]
    )
    func printing(input: String, expected: String) throws {
        let dn = try DistinguishedName(input)
        #expect(dn.description == expected)
        #expect(dn.utf8Bytes == Array(expected.utf8))
        #expect(try DistinguishedName(dn.description) == dn)
    }

    @Test("values that are not UTF-8, built in code, print as \\XX")
    func printingNonUTF8() {
        let attribute = AttributeTypeAndValue(type: "cn", value: [0x61, 0xFF, 0x62])
        #expect(attribute.description == #"cn=a\ffb"#)
        #expect(attribute.stringValue == nil)
    }

    // MARK: Navigation

    @Test("parent, rdn, child, appending")
    func navigation() throws {
        let dn = try DistinguishedName("cn=Babs,ou=People,dc=example,dc=com")
        let people = try DistinguishedName("ou=People,dc=example,dc=com")
        #expect(dn.parent() == people)
        #expect(dn.rdn == RelativeDistinguishedName(type: "cn", value: "Babs"))
        #expect(try DistinguishedName("dc=com").parent() == .root)
        #expect(DistinguishedName.root.parent() == nil)
        #expect(people.child(type: "cn", value: "Babs") == dn)
        #expect(people.child(RelativeDistinguishedName(type: "cn", value: "Babs")) == dn)
        #expect(try DistinguishedName("cn=Babs,ou=People").appending(DistinguishedName("dc=example,dc=com")) == dn)
        #expect(dn.appending(.root) == dn)
        #expect(DistinguishedName.root.child(type: "dc", value: "com").description == "dc=com")
        #expect(RelativeDistinguishedName(attributes: []) == nil)
    }

    @Test("isDescendant(of:), isChild(of:), replacingSuffix")
    func hierarchy() throws {
        let dn = try DistinguishedName("cn=Babs,ou=People,dc=example,dc=com")
        let base = try DistinguishedName("dc=example,dc=com")
        let other = try DistinguishedName("dc=example,dc=org")
        #expect(dn.isDescendant(of: base))
        #expect(dn.isDescendant(of: .root))
        #expect(!dn.isDescendant(of: dn))
        #expect(dn.isDescendant(of: dn, includingSelf: true))
        #expect(!base.isDescendant(of: dn, includingSelf: true))
        #expect(!dn.isDescendant(of: other))
        #expect(!DistinguishedName.root.isDescendant(of: .root))
        #expect(DistinguishedName.root.isDescendant(of: .root, includingSelf: true))
        #expect(try dn.isChild(of: DistinguishedName("ou=People,dc=example,dc=com")))
        #expect(!dn.isChild(of: base))
        #expect(base.isChild(of: try DistinguishedName("dc=com")))
        #expect(try dn.replacingSuffix(base, with: other) == DistinguishedName("cn=Babs,ou=People,dc=example,dc=org"))
        #expect(dn.replacingSuffix(other, with: base) == nil)
        #expect(base.replacingSuffix(base, with: other) == other)
    }

    // MARK: Normalisation

    @Test(
        "normalised forms: types lower-cased, caseIgnore values, sorted multi-valued RDNs",
        arguments: [
            ("CN=Babs  Jensen ,DC=Example", "cn=babs jensen,dc=example"),
            ("cn=a+sn=b", "SN=B+CN=A"),
            (#"cn=\ \ Mixed\20\20Case\ "#, "cn=mixed case"),
            ("cn=Tab\tHere", "cn=tab here"),
            ("uid=ÉLODIE", "uid=élodie"),
            ("cn=x+cn=a+cn=M", "cn=m+cn=x+cn=a"),
        ]
    )
    func normalizedEquality(lhs: String, rhs: String) throws {
        let left = try DistinguishedName(lhs)
        let right = try DistinguishedName(rhs)
        #expect(left.normalized() == right.normalized())
        #expect(left.normalizedKey == right.normalizedKey)
        #expect(left.normalized().normalized() == left.normalized())
    }

    @Test("normalisation keeps distinct names distinct and #hex values as they are")
    func normalizedDistinct() throws {
        #expect(try DistinguishedName("cn=a b").normalized() != DistinguishedName("cn=ab").normalized())
        #expect(try DistinguishedName("cn=a,dc=b").normalizedKey != DistinguishedName("cn=a\\,dc=b").normalizedKey)
        #expect(try DistinguishedName("cn=#04024869").normalized() != DistinguishedName("cn=Hi").normalized())
        let hex = try DistinguishedName("CN=#04024869").normalized()
        #expect(hex.rdn?.first == AttributeTypeAndValue(type: "cn", value: [0x04, 0x02, 0x48, 0x69], isHexForm: true))
        #expect(
            try DistinguishedName("CN=Babs  Jensen ,DC=Example").normalized().description == "cn=babs jensen,dc=example"
        )
        #expect(try DistinguishedName("SN=B+CN=A").normalized().description == "cn=a+sn=b")
    }

    @Test("a custom normaliser is applied, and its typed error propagates")
    func customNormalizer() throws {
        struct UnknownAttribute: Error, Equatable {
            var type: String
        }
        struct SchemaNormalizer: DNValueNormalizer {
            func normalize(_ attribute: AttributeTypeAndValue) throws(UnknownAttribute) -> AttributeTypeAndValue {
                switch attribute.type.lowercased() {
                case "cn", "2.5.4.3":
                    return AttributeTypeAndValue(
                        type: "2.5.4.3", value: Array((attribute.stringValue ?? "").uppercased().utf8))
                default:
                    throw UnknownAttribute(type: attribute.type)
                }
            }
        }
        let normalized = try DistinguishedName("cn=babs+2.5.4.3=Alice").normalized(using: SchemaNormalizer())
        #expect(normalized.description == "2.5.4.3=ALICE+2.5.4.3=BABS")
        #expect(throws: UnknownAttribute(type: "dc")) {
            try DistinguishedName("cn=babs,dc=example").normalized(using: SchemaNormalizer())
        }
        let viaClosure = try DistinguishedName("cn=b+cn=a").normalized { attribute in
            AttributeTypeAndValue(type: attribute.type.uppercased(), value: attribute.value)
        }
        #expect(viaClosure.description == "CN=a+CN=b")
        #expect(DistinguishedName.root.normalized(using: .caseIgnore) == .root)
    }

    @Test("index keys: root is empty, a subtree shares its base's key as prefix")
    func indexKeys() throws {
        #expect(DistinguishedName.root.indexKey.isEmpty)
        let base = try DistinguishedName("dc=Example,dc=com").normalizedKey
        #expect(base == Array("dc=com\u{0}dc=example\u{0}".utf8))
        let names = ["cn=a,dc=example,dc=com", "cn=b+sn=c,ou=x,DC=EXAMPLE,dc=com", "dc=example,dc=com"]
        for name in names {
            #expect(try DistinguishedName(name).normalizedKey.starts(with: base), "\(name)")
        }
        let outside = ["dc=com", "dc=example2,dc=com", "dc=exampl,dc=com", "cn=a,dc=example,dc=org"]
        for name in outside {
            #expect(try !DistinguishedName(name).normalizedKey.starts(with: base), "\(name)")
        }
    }

    // MARK: Properties

    @Test("random DNs: print then parse gives the same DN", arguments: 0..<4)
    func roundTrip(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<250 {
            let dn = DistinguishedName.random(using: &generator)
            let printed = dn.description
            #expect(try DistinguishedName(printed) == dn, "\(printed)")
            #expect(try DistinguishedName(utf8: ByteBuffer(string: printed)) == dn)
            let normalized = dn.normalized()
            #expect(try DistinguishedName(normalized.description) == normalized)
            #expect(normalized.normalized() == normalized)
        }
    }

    @Test("large inputs parse in one pass")
    func largeInputs() throws {
        let manyRDNs = Array(repeating: "ou=x", count: 10_000).joined(separator: ",")
        #expect(try DistinguishedName(manyRDNs).rdns.count == 10_000)
        let manyComponents = "cn=a" + String(repeating: "+cn=a", count: 10_000)
        #expect(try DistinguishedName(manyComponents).rdn?.attributes.count == 10_001)
        let escapes = "cn=" + String(repeating: #"\2c"#, count: 20_000)
        #expect(try DistinguishedName(escapes).rdn?.first.value == Array(repeating: UInt8(ascii: ","), count: 20_000))
        let spaces = "cn=a" + String(repeating: " ", count: 60_000) + "b"
        #expect(try DistinguishedName(spaces).rdn?.first.value.count == 60_002)
    }
}

// MARK: - Random DNs


extension DistinguishedName {
    fileprivate static func random(using generator: inout SeededGenerator) -> DistinguishedName {
        let count = Int.random(in: 0...4, using: &generator)
        return DistinguishedName(
            rdns: (0..<count).map { _ in
                let components = Int.random(in: 1...3, using: &generator)
                return RelativeDistinguishedName(attributes: (0..<components).map { _ in .random(using: &generator) })!
            })
    }
}

extension AttributeTypeAndValue {
    private static let types = ["cn", "CN", "ou", "dc", "uid", "x-My-Attr2", "2.5.4.3", "1.3.6.1.4.1.1466.0", "0.0"]
    private static let pieces: [String] = [
        "a", "Z", " ", "  ", "#", "=", "+", ",", ";", "<", ">", "\\", "\"", "\u{0}", "\r", "é", "Ł", "日本", "🙂", "x y",
    ]

    fileprivate static func random(using generator: inout SeededGenerator) -> AttributeTypeAndValue {
        let type = Self.types.randomElement(using: &generator)!
        if Int.random(in: 0..<5, using: &generator) == 0 {
            let content = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            return AttributeTypeAndValue(type: type, value: [0x04, UInt8(content.count)] + content, isHexForm: true)
        }
        let value = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
            Self.pieces.randomElement(using: &generator)!
        }.joined()
        return AttributeTypeAndValue(type: type, value: value)
    }
}

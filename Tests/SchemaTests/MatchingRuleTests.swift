import LDAPProtocol
import Testing

@testable import Schema

@Suite("Matching rules")
struct MatchingRuleTests {
    private func equal(_ rule: MatchingRule, _ assertion: String, _ value: String) throws -> Bool {
        try rule.matches(assertion: Array(assertion.utf8), value: Array(value.utf8))
    }

    private func normalized(_ rule: MatchingRule, _ value: String) throws -> [UInt8] {
        try rule.normalize(Array(value.utf8))
    }

    @Test func caseIgnoreAndCaseExact() throws {
        #expect(try self.equal(.caseIgnoreMatch, "babs  JENSEN", "  Babs Jensen "))
        #expect(try self.equal(.caseIgnoreMatch, "STRASSE", "Straße"))
        #expect(try !self.equal(.caseIgnoreMatch, "Babs Jensen", "BabsJensen"))
        #expect(try self.equal(.caseExactMatch, "Babs  Jensen", " Babs Jensen"))
        #expect(try !self.equal(.caseExactMatch, "babs jensen", "Babs Jensen"))
        #expect(try self.normalized(.caseIgnoreMatch, "  Foo   Bar ") == Array(" foo  bar ".utf8))
    }

    @Test func ia5Rules() throws {
        #expect(try self.equal(.caseIgnoreIA5Match, "USER@Example.COM", "user@example.com"))
        #expect(try !self.equal(.caseExactIA5Match, "USER@example.com", "user@example.com"))
        #expect(try self.equal(.caseExactIA5Match, "user@example.com ", "user@example.com"))
        #expect(throws: MatchingError.self) { try self.normalized(.caseIgnoreIA5Match, "é") }
    }

    @Test func octetString() throws {
        #expect(try MatchingRule.octetStringMatch.matches(assertion: [0, 1, 0xFF], value: [0, 1, 0xFF]))
        #expect(try !self.equal(.octetStringMatch, "A", "a"))
        #expect(try self.equal(.octetStringOrderingMatch, "b", "a"))
        #expect(try !self.equal(.octetStringOrderingMatch, "a", "a"))
    }

    @Test func integerRules() throws {
        #expect(try self.equal(.integerMatch, "42", "42"))
        #expect(try !self.equal(.integerMatch, "42", "-42"))
        #expect(try self.equal(.integerOrderingMatch, "10", "9"))  // 9 < 10
        #expect(try self.equal(.integerOrderingMatch, "-9", "-10"))  // -10 < -9
        #expect(try !self.equal(.integerOrderingMatch, "-10", "-9"))
        #expect(throws: MatchingError.self) { try self.normalized(.integerMatch, "042") }
        #expect(throws: MatchingError.self) { try self.normalized(.integerMatch, "four") }
    }

    @Test("integer ordering: memcmp of normalised bytes is numeric order, beyond Int64")
    func integerOrderingProperty() throws {
        var generator = SeededGenerator(seed: 27)
        var values: [String] = ["0", "-1", "1", "9223372036854775807", "9223372036854775808", "-9223372036854775809"]
        for _ in 0..<300 {
            let length = [1, 2, 3, 18, 19, 20, 40, 300].randomElement(using: &generator) ?? 1
            var digits = String(Int.random(in: 1...9, using: &generator))
            for _ in 1..<length { digits.append(String(Int.random(in: 0...9, using: &generator))) }
            values.append(Bool.random(using: &generator) ? "-" + digits : digits)
        }
        func numericLess(_ lhs: String, _ rhs: String) -> Bool {
            let lhsNegative = lhs.hasPrefix("-")
            let rhsNegative = rhs.hasPrefix("-")
            if lhsNegative != rhsNegative { return lhsNegative }
            let lhsDigits = lhs.drop(while: { $0 == "-" })
            let rhsDigits = rhs.drop(while: { $0 == "-" })
            let magnitudeLess =
                lhsDigits.count != rhsDigits.count
                ? lhsDigits.count < rhsDigits.count : lhsDigits.lexicographicallyPrecedes(rhsDigits)
            let magnitudeEqual = lhsDigits == rhsDigits
            return lhsNegative ? (!magnitudeLess && !magnitudeEqual) : magnitudeLess
        }
        for _ in 0..<2000 {
            let lhs = values.randomElement(using: &generator) ?? "0"
            let rhs = values.randomElement(using: &generator) ?? "0"
            let bytesLess = try self.normalized(.integerOrderingMatch, lhs)
                .lexicographicallyPrecedes(self.normalized(.integerOrderingMatch, rhs))
            #expect(bytesLess == numericLess(lhs, rhs), "\(lhs) < \(rhs)")
        }
        if let sample = values.first(where: { $0.count > 200 }) {
            #expect(try self.normalized(.integerMatch, sample) == self.normalized(.integerMatch, sample))
        }
    }

    @Test func booleanMatch() throws {
        #expect(try self.equal(.booleanMatch, "TRUE", "TRUE"))
        #expect(try !self.equal(.booleanMatch, "TRUE", "FALSE"))
        #expect(throws: MatchingError.self) { try self.normalized(.booleanMatch, "yes") }
    }

    @Test func generalizedTimeRules() throws {
        #expect(try self.equal(.generalizedTimeMatch, "199412161032Z", "199412160532-0500"))
        #expect(try self.equal(.generalizedTimeMatch, "20240101120000.500Z", "202401011200.0083333333333333333333+0000") == false)
        #expect(try self.equal(.generalizedTimeMatch, "2024010112.5Z", "20240101123000Z"))
        #expect(try self.equal(.generalizedTimeMatch, "20240101120000.50Z", "20240101120000,5Z"))
        #expect(try self.equal(.generalizedTimeOrderingMatch, "20240101120000.5Z", "20240101120000Z"))
        #expect(try !self.equal(.generalizedTimeOrderingMatch, "20240101120000Z", "20240101120000.5Z"))
        #expect(try self.equal(.generalizedTimeOrderingMatch, "20240101000000Z", "20240101003000+0100"))
    }

    @Test("generalized time ordering: memcmp of normalised bytes is time order across offsets")
    func generalizedTimeOrderingProperty() throws {
        var generator = SeededGenerator(seed: 24)
        struct Sample {
            var text: String
            var instant: Double  // seconds from 2000-01-01 in UTC, approximately exact for the ranges used
        }
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var samples: [Sample] = []
        for _ in 0..<400 {
            let day = Int.random(in: 1...28, using: &generator)
            let hour = Int.random(in: 0...23, using: &generator)
            let minute = Int.random(in: 0...59, using: &generator)
            let second = Int.random(in: 0...59, using: &generator)
            let centis = Int.random(in: 0...99, using: &generator)
            let offset = Int.random(in: -14...14, using: &generator) * 60 + [0, 30, 45].randomElement(using: &generator)!
            var text = "202403" + pad(day, 2) + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
            if centis > 0 { text += "." + pad(centis, 2) }
            if offset == 0 {
                text += "Z"
            } else {
                text += (offset < 0 ? "-" : "+") + pad(abs(offset) / 60, 2) + pad(abs(offset) % 60, 2)
            }
            let local = Double(((day * 24 + hour) * 60 + minute) * 60 + second) + Double(centis) / 100
            samples.append(Sample(text: text, instant: local - Double(offset * 60)))
        }
        for _ in 0..<2000 {
            guard let lhs = samples.randomElement(using: &generator), let rhs = samples.randomElement(using: &generator)
            else { continue }
            let lhsBytes = try self.normalized(.generalizedTimeOrderingMatch, lhs.text)
            let rhsBytes = try self.normalized(.generalizedTimeOrderingMatch, rhs.text)
            #expect(lhsBytes.lexicographicallyPrecedes(rhsBytes) == (lhs.instant < rhs.instant - 0.001), "\(lhs.text) < \(rhs.text)")
            #expect((lhsBytes == rhsBytes) == (abs(lhs.instant - rhs.instant) < 0.001), "\(lhs.text) = \(rhs.text)")
        }
    }

    @Test("string ordering follows code points of the prepared strings")
    func stringOrdering() throws {
        #expect(try self.equal(.caseIgnoreOrderingMatch, "B", "a"))
        #expect(try !self.equal(.caseIgnoreOrderingMatch, "a", "B"))
        #expect(try self.equal(.caseExactOrderingMatch, "a", "B"))
        #expect(try self.equal(.numericStringOrderingMatch, "2", "1 9"))
    }

    @Test func numericStringAndTelephone() throws {
        #expect(try self.equal(.numericStringMatch, "1234567", "123 4567"))
        #expect(try !self.equal(.numericStringMatch, "1234567", "1234568"))
        #expect(throws: MatchingError.self) { try self.normalized(.numericStringMatch, "12a") }
        #expect(try self.equal(.telephoneNumberMatch, "+1 512 315 0280", "+1-512-315-0280"))
        #expect(try self.equal(.telephoneNumberMatch, "+15123150280", "+1 (512) 315-0280") == false)
        #expect(try self.equal(.telephoneNumberMatch, "+1(512)3150280", "+1 (512) 315-0280"))
    }

    @Test func objectIdentifierAndUUID() throws {
        #expect(try self.equal(.objectIdentifierMatch, "2.5.4.3", "2.5.4.3"))
        #expect(try self.equal(.objectIdentifierMatch, "CN", "cn"))
        #expect(try !self.equal(.objectIdentifierMatch, "2.5.4.3", "2.5.4.4"))
        #expect(throws: MatchingError.self) { try self.normalized(.objectIdentifierMatch, "2.05") }
        #expect(
            try self.equal(.uuidMatch, "597AE2F6-16A6-1027-98F4-D28B5365DC14", "597ae2f6-16a6-1027-98f4-d28b5365dc14"))
        #expect(
            try self.equal(.uuidOrderingMatch, "597ae2f6-16a6-1027-98f4-d28b5365dc15", "597AE2F6-16A6-1027-98F4-D28B5365DC14"))
        #expect(throws: MatchingError.self) { try self.normalized(.uuidMatch, "not-a-uuid") }
    }

    @Test func firstComponentRules() throws {
        let value = Array("( 2.5.4.3 NAME 'cn' SUP name )".utf8)
        #expect(try MatchingRule.objectIdentifierFirstComponentMatch.matches(assertion: Array("2.5.4.3".utf8), value: value))
        #expect(try !MatchingRule.objectIdentifierFirstComponentMatch.matches(assertion: Array("2.5.4.4".utf8), value: value))
        #expect(try MatchingRule.integerFirstComponentMatch.matches(assertion: Array("7".utf8), value: Array("( 7 NAME 'x' FORM f )".utf8)))
    }

    @Test("distinguishedNameMatch: case, spaces, RDN order, per-type rules")
    func distinguishedNameMatch() throws {
        #expect(try self.equal(.distinguishedNameMatch, "CN=Babs  Jensen,DC=Example,dc=COM", "cn=babs jensen, dc=example,dc=com"))
        #expect(try self.equal(.distinguishedNameMatch, "cn=a+sn=b,o=x", "SN=B+CN=A,O=X"))
        #expect(try !self.equal(.distinguishedNameMatch, "cn=a,o=x", "cn=a,o=y"))
        #expect(throws: MatchingError.self) { try self.normalized(.distinguishedNameMatch, "not a dn") }
        #expect(try self.normalized(.distinguishedNameMatch, "CN=Babs  Jensen,DC=Example") == Array("cn=babs jensen,dc=example".utf8))

        let schemaAware = SchemaDNNormalizer(
            equalityRule: { type in
                switch type.lowercased() {
                case "uidnumber": return .integerMatch
                case "uid", "0.9.2342.19200300.100.1.1": return .caseExactMatch
                default: return nil
                }
            },
            canonicalType: { type in type == "0.9.2342.19200300.100.1.1" ? "uid" : nil })
        let rule = MatchingRule.distinguishedNameMatch(normalizer: schemaAware)
        #expect(try self.equal(rule, "uid=Babs,dc=x", "0.9.2342.19200300.100.1.1=Babs,DC=X"))
        #expect(try !self.equal(rule, "uid=babs,dc=x", "uid=Babs,dc=x"))
        #expect(throws: MatchingError.self) { try self.normalized(rule, "uidNumber=x12,dc=x") }
        let registry = MatchingRuleRegistry.builtIn.withDNNormalizer(schemaAware)
        #expect(try registry["distinguishedNameMatch"].map { try self.equal($0, "uid=Babs", "UID=Babs") } == true)
        #expect(try registry["distinguishedNameMatch"].map { try self.equal($0, "uid=babs", "UID=Babs") } == false)
    }

    @Test("SchemaDNNormalizer agrees with the schema-less normaliser on ASCII and decodes #hex strings")
    func dnNormalizer() throws {
        let normalizer = SchemaDNNormalizer()
        for text in ["CN=Babs  Jensen ,DC=Example", "cn=a\\20\\20b,o=x", "ou=  Lots   of  Space  ,o=X"] {
            let dn = try DistinguishedName(text)
            #expect(try dn.normalized(using: normalizer) == dn.normalized(), "\(text)")
        }
        // #0C03616263 is the BER UTF8String "abc".
        let hex = try DistinguishedName("cn=#0C03416263").normalized(using: normalizer)
        #expect(hex == (try DistinguishedName("cn=abc")))
        let unicode = try DistinguishedName("cn=STRAẞE").normalized(using: normalizer)
        #expect(unicode == (try DistinguishedName("cn=strasse")))
    }

    @Test("uniqueMemberMatch and caseIgnoreListMatch")
    func otherRules() throws {
        #expect(try self.equal(.uniqueMemberMatch, "CN=A,O=X#'01'B", "cn=a,o=x#'01'B"))
        #expect(try !self.equal(.uniqueMemberMatch, "cn=a,o=x#'01'B", "cn=a,o=x#'10'B"))
        #expect(try self.equal(.caseIgnoreListMatch, "1 Main St$ANYTOWN", "1  main st $Anytown"))
        #expect(try !self.equal(.caseIgnoreListMatch, "1 Main St$Anytown", "1 Main St Anytown"))
        #expect(try self.equal(.caseIgnoreListSubstringsMatch, "*main*town", "1 Main St$Anytown"))
        #expect(try !self.equal(.caseIgnoreListSubstringsMatch, "*st anytown*", "1 Main St$Anytown"))
    }

    @Test("substring matching over normalised values")
    func substrings() throws {
        let rule = MatchingRule.caseIgnoreSubstringsMatch
        #expect(try self.equal(rule, "babs*", "Babs Jensen"))
        #expect(try self.equal(rule, "*JENSEN", "Babs Jensen"))
        #expect(try self.equal(rule, "b*s*j*n", "Babs Jensen"))
        #expect(try self.equal(rule, "*s j*", "Babs Jensen"))
        #expect(try self.equal(rule, "*o b*", "foo   bar"))
        #expect(try self.equal(rule, "foo *  bar", "foo bar"))  // RFC 4518 appendix B
        #expect(try !self.equal(rule, "jensen*", "Babs Jensen"))
        #expect(try !self.equal(rule, "*babs", "Babs Jensen"))
        #expect(try !self.equal(rule, "babs*babs", "Babs"))  // pieces may not overlap
        #expect(try self.equal(rule, "a*a", "aa"))
        #expect(try self.equal(rule, "*ﬁ*", "a FILE"))
        #expect(try !self.equal(.caseExactSubstringsMatch, "babs*", "Babs Jensen"))
        #expect(try self.equal(.telephoneNumberSubstringsMatch, "*315-02*", "+1 512 3150280"))
        #expect(try self.equal(.numericStringSubstringsMatch, "12*78", "123 456 78"))
        #expect(try self.equal(.caseIgnoreIA5SubstringsMatch, "*@EXAMPLE.com", "babs@example.com"))
        #expect(try self.equal(rule, "a\\2Ab*", "A*B and more"))
        #expect(throws: MatchingError.self) { try MatchingRule.integerMatch.normalizeSubstring([0x31], position: .any) }
        #expect(MatchingRule.caseIgnoreSubstringsMatch.supportsSubstrings && !MatchingRule.integerMatch.supportsSubstrings)
    }

    @Test("normalize is idempotent for the string rules (random values)")
    func normalizeIdempotent() throws {
        var generator = SeededGenerator(seed: 17)
        let alphabet = Array("aZ 09-+()ßẞΣςé\u{0301}ﬁＦ\u{00A0}\t")
        let rules: [MatchingRule] = [.caseIgnoreMatch, .caseExactMatch, .telephoneNumberMatch]
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int.random(in: 1...10, using: &generator) {
                text.append(alphabet.randomElement(using: &generator) ?? "a")
            }
            for rule in rules {
                let once = try rule.normalize(Array(text.utf8))
                #expect(try rule.normalize(once) == once, "\(rule) \(text.debugDescription)")
            }
        }
        for value in ["0", "-12", "123456789012345678901234567890"] {
            let once = try self.normalized(.integerMatch, value)
            #expect(once.first != nil)
        }
        for value in ["199412160532-0500", "2024010112.5Z"] {
            let once = try self.normalized(.generalizedTimeMatch, value)
            #expect(try self.normalized(.generalizedTimeMatch, String(decoding: once, as: UTF8.self) + "Z") == once)
        }
    }

    @Test("registry: by OID or by name in any case")
    func registry() {
        let registry = MatchingRuleRegistry.builtIn
        #expect(registry["caseIgnoreMatch"]?.oid == "2.5.13.2")
        #expect(registry["CASEIGNOREMATCH"]?.oid == "2.5.13.2")
        #expect(registry["2.5.13.2"]?.name == "caseIgnoreMatch")
        #expect(registry["caseIgnoreIA5Match"]?.oid == "1.3.6.1.4.1.1466.109.114.2")
        #expect(registry["uuidMatch"]?.syntaxOID == "1.3.6.1.1.16.1")
        #expect(registry["generalizedTimeOrderingMatch"]?.kind == .ordering)
        #expect(registry["telephoneNumberSubstringsMatch"]?.kind == .substrings)
        #expect(registry["noSuchMatch"] == nil)
        for name in [
            "caseIgnoreMatch", "caseExactMatch", "caseIgnoreIA5Match", "caseExactIA5Match", "octetStringMatch",
            "distinguishedNameMatch", "integerMatch", "booleanMatch", "generalizedTimeMatch", "numericStringMatch",
            "telephoneNumberMatch", "objectIdentifierMatch", "uuidMatch", "caseIgnoreOrderingMatch",
            "caseIgnoreSubstringsMatch", "caseExactOrderingMatch", "caseExactSubstringsMatch", "integerOrderingMatch",
            "generalizedTimeOrderingMatch", "numericStringOrderingMatch", "numericStringSubstringsMatch",
            "telephoneNumberSubstringsMatch", "octetStringOrderingMatch", "caseIgnoreIA5SubstringsMatch",
            "uuidOrderingMatch",
        ] {
            #expect(registry[name] != nil, "\(name)")
        }
    }
}

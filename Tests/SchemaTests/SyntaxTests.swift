import Testing

@testable import Schema

@Suite("Attribute syntaxes")
struct SyntaxTests {
    private func check(_ syntax: AttributeSyntax, valid: [String], invalid: [String]) {
        for value in valid {
            #expect(syntax.validate(value) == nil, "\(syntax.description) should accept \(value.debugDescription)")
        }
        for value in invalid {
            #expect(syntax.validate(value) != nil, "\(syntax.description) should refuse \(value.debugDescription)")
        }
    }

    @Test func directoryString() {
        self.check(.directoryString, valid: ["a", "Babs Jensen", "Ünïcødé ✓", " "], invalid: [""])
        #expect(AttributeSyntax.directoryString.validate([0x61, 0xFF]) != nil)
    }

    @Test func ia5String() {
        self.check(.ia5String, valid: ["", "user@example.com", "tab\there"], invalid: ["é"])
    }

    @Test func printableString() {
        self.check(
            .printableString, valid: ["Hello World", "a'b(c)+,-./:=?", "123"],
            invalid: ["", "a@b", "under_score", "semi;colon", "é", "star*"])
    }

    @Test func numericString() {
        self.check(.numericString, valid: ["15 079 672 281", "0", " "], invalid: ["", "12a", "-1", "1.5"])
    }

    @Test func integer() {
        self.check(
            .integer, valid: ["0", "1", "-1", "1234567890123456789012345678901234567890", "-987"],
            invalid: ["", "-", "-0", "01", "+1", "1.0", " 1", "1e3"])
    }

    @Test func boolean() {
        self.check(.boolean, valid: ["TRUE", "FALSE"], invalid: ["true", "False", "1", "", "TRUE "])
    }

    @Test("Generalized Time (RFC 4517 §3.3.13)")
    func generalizedTime() {
        self.check(
            .generalizedTime,
            valid: [
                "199412161032Z", "199412160532-0500", "2024022910Z", "20240229103000.25Z", "20240229103000,5Z",
                "2024010112.5Z", "201612312359.5+0100", "20161231235960Z", "20240101000000+05", "19700101000000Z",
            ],
            invalid: [
                "", "20241301000000Z", "20240230000000Z", "20230229000000Z", "20240101Z", "2024010124Z",
                "202401011260Z", "20240101120061Z", "20240101120000", "20240101120000.Z", "20240101120000+2400",
                "20240101120000+0160", "20240101120000Zjunk", "2024-01-01T12:00:00Z",
            ])
        let violation = AttributeSyntax.generalizedTime.validate("20241301000000Z")
        #expect(violation?.description == "not a valid Generalized Time: month 13")
    }

    @Test("a time's fraction applies to its last unit; offsets convert to UTC")
    func generalizedTimeValues() throws {
        let halfHour = try GeneralizedTime(Array("2024010112.5Z".utf8))
        #expect(halfHour.minute == 30 && halfHour.second == 0 && halfHour.fractionDigits.isEmpty)
        let fractionOfMinute = try GeneralizedTime(Array("202401011201.125Z".utf8))
        #expect(fractionOfMinute.second == 7 && fractionOfMinute.fractionDigits == Array("5".utf8))
        let eastern = try GeneralizedTime(Array("199412160532-0500".utf8))
        #expect(eastern.canonicalUTC == Array("19941216103200".utf8))
        let newYear = try GeneralizedTime(Array("20250101003000+0100".utf8))
        #expect(newYear.canonicalUTC == Array("20241231233000".utf8))
        let leapDay = try GeneralizedTime(Array("20240228230000-0200".utf8))
        #expect(leapDay.canonicalUTC == Array("20240229010000".utf8))
    }

    @Test func distinguishedName() {
        self.check(
            .distinguishedName, valid: ["", "cn=Babs,dc=example,dc=com", "cn=a+sn=b,o=x", "2.5.4.3=#04024869"],
            invalid: ["cn", "cn=a,,dc=b", "=x", "cn=a,"])
    }

    @Test("OID: numeric or descriptor")
    func objectIdentifier() {
        self.check(
            .objectIdentifier, valid: ["2.5.4.3", "1.3.6.1.4.1.1466.115.121.1.15", "cn", "x-my-attr2", "0.0"],
            invalid: ["", "2", "2.", ".2", "2..5", "2.05", "1a.2", "-cn", "c_n", "c n"])
    }

    @Test("Telephone Number: a printable string")
    func telephoneNumber() {
        self.check(
            .telephoneNumber, valid: ["+1 512 315 0280", "+33 (0)1 23-45-67-89", "555-0101"],
            invalid: ["", "+1 555 0101 ext#2", "☎ 555"])
    }

    @Test("Postal Address: lines, $ separators and \\24 / \\5C escapes")
    func postalAddress() {
        self.check(
            .postalAddress,
            valid: ["1234 Main St.$Anytown, CA 12345$USA", "\\241,000,000 Sweepstakes$PO Box 1000000$Anytown",
                "back\\5Cslash", "back\\5cslash", "one line"],
            invalid: ["", "a$$b", "$a", "a$", "bad\\escape", "trailing\\2"])
    }

    @Test func octetString() {
        #expect(AttributeSyntax.octetString.validate([0x00, 0xFF, 0x80]) == nil)
        #expect(AttributeSyntax.octetString.validate([]) == nil)
    }

    @Test("UUID (RFC 4530)")
    func uuid() {
        self.check(
            .uuid, valid: ["597ae2f6-16a6-1027-98f4-d28b5365dc14", "597AE2F6-16A6-1027-98F4-D28B5365DC14"],
            invalid: ["", "597ae2f616a6102798f4d28b5365dc14", "597ae2f6-16a6-1027-98f4-d28b5365dc1",
                "597ae2f6-16a6-1027-98f4-d28b5365dc1g", "{597ae2f6-16a6-1027-98f4-d28b5365dc14}"])
    }

    @Test func otherSyntaxes() {
        self.check(.bitString, valid: ["'0101111101'B", "''B"], invalid: ["0101", "'012'B", "'01'"])
        self.check(.countryString, valid: ["DE", "us"], invalid: ["USA", "D", "D_"])
        self.check(
            .nameAndOptionalUID, valid: ["uid=a,dc=b", "uid=a,dc=b#'0101'B"], invalid: ["uid=a,dc=b#'012'B", "bad"])
        self.check(.substringAssertion, valid: ["a*b", "*x*", "a\\2Ab*"], invalid: ["abc", "a**b", "a\\zz*"])
        self.check(.attributeTypeDescription, valid: ["( 2.5.4.3 NAME 'cn' )"], invalid: ["2.5.4.3 NAME 'cn'"])
    }

    @Test("registry: by OID, with or without a length bound")
    func registry() {
        let registry = SyntaxRegistry.builtIn
        #expect(registry["1.3.6.1.4.1.1466.115.121.1.15"]?.description == "Directory String")
        #expect(registry["1.3.6.1.4.1.1466.115.121.1.15{256}"]?.description == "Directory String")
        #expect(registry["1.3.6.1.1.16.1"]?.description == "UUID")
        #expect(registry["1.2.3.4"] == nil)
        let reference = SyntaxRegistry.parseReference("1.3.6.1.4.1.1466.115.121.1.26{64}")
        #expect(reference.oid == "1.3.6.1.4.1.1466.115.121.1.26" && reference.lengthBound == 64)
        #expect(AttributeSyntax.jpeg.isHumanReadable == false)
        var custom = registry
        custom.register(AttributeSyntax(oid: "1.2.3.4", description: "Even") { $0.count % 2 == 0 ? nil : "odd length" })
        #expect(custom["1.2.3.4"]?.validate("abc")?.description == "not a valid Even: odd length")
    }
}

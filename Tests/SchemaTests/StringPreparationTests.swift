import Testing

@testable import Schema

@Suite("RFC 4518 string preparation")
struct StringPreparationTests {
    private func prepare(_ string: String, fold: Bool = true) throws -> String {
        let bytes = try StringPreparation.prepare(
            Array(string.utf8), case: fold ? .fold : .preserve, insignificant: .spaces)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func substring(_ string: String, _ position: SubstringPosition) throws -> String {
        let bytes = try StringPreparation.prepareSubstring(
            Array(string.utf8), position: position, case: .fold, insignificant: .spaces)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("§2.6.1 values: one space at each end, inner runs as two")
    func insignificantSpaceValues() throws {
        #expect(try self.prepare("foo bar  ") == " foo  bar ")
        #expect(try self.prepare("   Foo    BAR") == " foo  bar ")
        #expect(try self.prepare("foo") == " foo ")
        #expect(try self.prepare("") == "  ")
        #expect(try self.prepare("    ") == "  ")
        #expect(try self.prepare("a\tb\r\nc") == " a  b  c ")
        #expect(try self.prepare("a\u{00A0}\u{3000}b") == " a  b ")
    }

    @Test("§2.6.1 substrings: ends adjusted per position")
    func insignificantSpaceSubstrings() throws {
        #expect(try self.substring("foo", .initial) == " foo")
        #expect(try self.substring("foo  ", .initial) == " foo ")
        #expect(try self.substring("foo", .any) == "foo")
        #expect(try self.substring("  foo ", .any) == " foo ")
        #expect(try self.substring("foo", .final) == "foo ")
        #expect(try self.substring("  foo", .final) == " foo ")
        #expect(try self.substring("   ", .any) == " ")
        #expect(try self.substring("o b", .any) == "o  b")
    }

    @Test("a space carrying a combining mark is significant")
    func spaceWithCombiningMark() throws {
        #expect(try self.prepare("a \u{0301}") == " a \u{0301} ")
    }

    @Test("case folding beyond lowercased(): ß, ẞ, final sigma, micro sign, long s")
    func caseFolding() throws {
        #expect(try self.prepare("Straße") == self.prepare("STRASSE"))
        #expect(try self.prepare("STRAẞE") == self.prepare("strasse"))
        #expect(try self.prepare("ΟΔΟΣ") == self.prepare("οδος"))
        #expect(try self.prepare("ΟΔΟΣ") == " οδοσ ")
        #expect(try self.prepare("\u{00B5}") == self.prepare("\u{03BC}"))
        #expect(try self.prepare("\u{017F}") == " s ")
        #expect(try self.prepare("ÉCOLE") == " école ")
        #expect(try self.prepare("\u{212A}") == " k ")  // KELVIN SIGN
        #expect(try self.prepare("\u{13A0}") == self.prepare("\u{AB70}"))  // Cherokee
        #expect(try self.prepare("Straße", fold: false) == " Straße ")
    }

    @Test("NFKC: ligatures, full-width letters, composed and decomposed forms")
    func normalization() throws {
        #expect(try self.prepare("\u{FB01}le") == self.prepare("file"))
        #expect(try self.prepare("Ｆｕｌｌ") == " full ")
        #expect(try self.prepare("Ｆｕｌｌ", fold: false) == " Full ")
        #expect(try self.prepare("e\u{0301}") == self.prepare("\u{00E9}"))
        #expect(try self.prepare("\u{210C}") == " h ")  // ℌ: NFKC then fold (table B.2)
        #expect(try self.prepare("\u{3392}") == " mhz ")  // ㎒
        #expect(try self.prepare("①") == " 1 ")
        #expect(try self.prepare("\u{213B}") == " fax ")  // ℻
    }

    @Test("mapped to nothing: soft hyphen, ZWSP, controls, variation selectors")
    func mappedToNothing() throws {
        #expect(try self.prepare("ab\u{00AD}c") == " abc ")
        #expect(try self.prepare("a\u{200B}b\u{FEFF}c\u{FE0F}") == " abc ")
        #expect(try self.prepare("a\u{0001}b\u{007F}") == " ab ")
    }

    @Test("prohibited code points fail")
    func prohibited() {
        #expect(throws: StringPreparationError.prohibitedCodePoint(0xE000)) {
            try self.prepare("a\u{E000}")
        }
        #expect(throws: StringPreparationError.prohibitedCodePoint(0xFFFD)) {
            try self.prepare("\u{FFFD}")
        }
        #expect(throws: StringPreparationError.prohibitedCodePoint(0xFDD0)) {
            var scalars = String.UnicodeScalarView()
            scalars.append("x")
            scalars.append(Unicode.Scalar(0xFDD0)!)
            return try self.prepare(String(scalars))
        }
        #expect(throws: StringPreparationError.self) {
            try self.prepare("\u{0378}")  // unassigned
        }
    }

    @Test("invalid UTF-8 fails with its offset")
    func invalidUTF8() {
        #expect(throws: StringPreparationError.invalidUTF8(offset: 2)) {
            try StringPreparation.prepare([0x61, 0x62, 0xC3, 0x28], case: .fold, insignificant: .spaces)
        }
    }

    @Test("§2.6.2 numeric strings and §2.6.3 telephone numbers")
    func numericAndTelephone() throws {
        let numeric = try StringPreparation.prepare(Array(" 123 456 ".utf8), case: .fold, insignificant: .numericString)
        #expect(numeric == Array("123456".utf8))
        let phone = try StringPreparation.prepare(
            Array("+1 (555) 010-1234 \u{2010}9".utf8), case: .fold, insignificant: .telephoneNumber)
        #expect(phone == Array("+1(555)01012349".utf8))
        let fullWidthHyphen = try StringPreparation.prepare(
            Array("555\u{FF0D}0101".utf8), case: .fold, insignificant: .telephoneNumber)
        #expect(fullWidthHyphen == Array("5550101".utf8))
    }

    @Test("preparing twice gives the same as once (random strings)")
    func idempotence() throws {
        var generator = SeededGenerator(seed: 4518)
        let alphabet: [Unicode.Scalar] = [
            "a", "B", " ", " ", "\t", "ß", "ẞ", "Σ", "ς", "é", "E", "\u{0301}", "\u{FB01}", "Ｆ", "\u{00A0}", "ǅ",
            "\u{0130}", "ﬀ", "ℌ", "\u{1F88}", "\u{00AD}", "Å", "\u{212B}", "한", "\u{1100}", "\u{1161}", "µ",
        ]
        for _ in 0..<500 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                scalars.append(alphabet.randomElement(using: &generator) ?? "a")
            }
            let input = Array(String(scalars).utf8)
            for fold in [true, false] {
                let caseHandling: StringPreparation.CaseHandling = fold ? .fold : .preserve
                let once = try StringPreparation.prepare(input, case: caseHandling, insignificant: .spaces)
                let twice = try StringPreparation.prepare(once, case: caseHandling, insignificant: .spaces)
                #expect(once == twice, "input \(String(scalars).debugDescription)")
            }
        }
    }

    @Test("the ASCII path agrees with the Unicode path")
    func asciiPathAgrees() throws {
        // Appending a stable non-ASCII letter forces the Unicode path for the same ASCII prefix.
        for input in ["Hello World", "  A\tB  ", "x\u{1}y", "MiXeD CaSe 123"] {
            let ascii = try StringPreparation.prepare(Array((input + "é").utf8), case: .fold, insignificant: .spaces)
            let unicode = try UnicodePreparation.prepare(Array((input + "é").utf8), fold: true)
            let viaUnicode = InsignificantCharacterHandling.apply(.spaces, to: unicode, position: nil)
            #expect(ascii == viaUnicode)
        }
    }
}

/// A small deterministic generator (SplitMix64) so that property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

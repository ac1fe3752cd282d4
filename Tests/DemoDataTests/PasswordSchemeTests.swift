import Testing

@testable import DemoData

@Suite struct PasswordSchemeTests {
    @Test func sshaMatchesAnIndependentComputation() {
        // Python: '{SSHA}' + b64encode(sha1(password + salt).digest() + salt), salt = bytes 1…8.
        let value = PasswordScheme.ssha.encode("Cerise-Moulin-Plume-Torrent-42", salt: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(value == "{SSHA}a5/tZKI9tiVqj+9gjhrvmZegrQUBAgMEBQYHCA==")
    }

    @Test func sshaVerifiesOnlyTheRightPassword() {
        let value = PasswordScheme.ssha.encode("Ardoise-Galet-Hibou-Sapin-17", salt: [9, 8, 7, 6, 5, 4, 3, 2])
        #expect(PasswordScheme.verify("Ardoise-Galet-Hibou-Sapin-17", against: value))
        #expect(!PasswordScheme.verify("Ardoise-Galet-Hibou-Sapin-18", against: value))
        #expect(!PasswordScheme.verify("", against: value))
        #expect(!PasswordScheme.verify("x", against: "{SSHA}not base64!"))
        #expect(!PasswordScheme.verify("x", against: "{CRYPT}abc"))
    }

    @Test func cleartextIsThePasswordItself() {
        #expect(PasswordScheme.cleartext.encode("secret phrase", salt: [1]) == "secret phrase")
        #expect(PasswordScheme.verify("secret phrase", against: "secret phrase"))
        #expect(!PasswordScheme.verify("secret", against: "secret phrase"))
    }

    @Test func schemeNamesFromTheCommandLine() {
        #expect(PasswordScheme(name: "{SSHA}") == .ssha)
        #expect(PasswordScheme(name: "ssha") == .ssha)
        #expect(PasswordScheme(name: "{CLEARTEXT}") == .cleartext)
        #expect(PasswordScheme(name: "plain") == .cleartext)
        #expect(PasswordScheme(name: "{MD5}") == nil)
        #expect(PasswordScheme(name: "") == nil)
    }

    @Test func base64RoundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm9=v") == nil)
    }

    @Test func generatedPasswordsAreReadableAndLong() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let password = PasswordGenerator.make(using: &random)
            #expect(password.utf8.count >= 12)
            #expect(password.split(separator: "-").count == 5)
            #expect(password.unicodeScalars.allSatisfy { $0.isASCII })
        }
    }
}

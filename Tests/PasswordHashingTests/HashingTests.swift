import Testing

@testable import PasswordHashing

/// Round trips, formats of new values, rehash decisions and the pre-hashed test.
@Suite("Hashing")
struct HashingTests {
    /// Small Argon2 costs keep the suite fast; the default costs are exercised once.
    static let hasher = PasswordHasher(
        argon2: Argon2Parameters(memoryKiB: 256, iterations: 1, parallelism: 1, saltLength: 16, hashLength: 32),
        pbkdf2Rounds: 1000)

    @Test(
        "every scheme hashes and verifies, with a fresh salt each time",
        arguments: PasswordScheme.allCases.filter { $0 != .cleartext })
    func roundTrip(_ scheme: PasswordScheme) throws {
        let password = Array("Pa55 wörd!".utf8)
        let first = try Self.hasher.hash(password, scheme: scheme)
        let second = try Self.hasher.hash(password, scheme: scheme)
        #expect(first.hasPrefix(scheme.prefix))
        if scheme != .sha { #expect(first != second) }
        #expect(Self.hasher.verify(password, against: Array(first.utf8)))
        #expect(!Self.hasher.verify(Array("Pa55 word!".utf8), against: Array(first.utf8)))
        #expect(PasswordHasher.scheme(of: Array(first.utf8)) == scheme)
        #expect(PasswordHasher.isPrehashed(Array(first.utf8)))
        #expect(!Self.hasher.needsRehash(Array(first.utf8), to: scheme))
    }

    @Test("new {ARGON2} values are argon2id v=19 in OpenLDAP's encoded form, with the configured costs")
    func argon2Format() throws {
        let value = try PasswordHasher().hash(Array("secret".utf8), scheme: .argon2)
        let pattern = /\{ARGON2\}\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+\/]{22}\$[A-Za-z0-9+\/]{43}/
        #expect(value.wholeMatch(of: pattern) != nil, "\(value)")
        #expect(PasswordHasher().verify(Array("secret".utf8), against: Array(value.utf8)))
    }

    @Test("new {PBKDF2-SHA512}, {SSHA512} and {CRYPT} values have the lengths other tools write")
    func otherFormats() throws {
        let pbkdf2 = try Self.hasher.hash(Array("x".utf8), scheme: .pbkdf2Sha512)
        #expect(pbkdf2.wholeMatch(of: /\{PBKDF2-SHA512\}1000\$[A-Za-z0-9.\/]{22}\$[A-Za-z0-9.\/]{86}/) != nil)
        let ssha512 = try Self.hasher.hash(Array("x".utf8), scheme: .ssha512)
        #expect(ssha512.count == "{SSHA512}".count + 96)  // 64 + 8 bytes
        let crypt = try Self.hasher.hash(Array("x".utf8), scheme: .crypt)
        #expect(crypt.wholeMatch(of: /\{CRYPT\}\$6\$[A-Za-z0-9.\/]{16}\$[A-Za-z0-9.\/]{86}/) != nil, "\(crypt)")
    }

    @Test("cleartext hashing keeps UTF-8 passwords as they are and refuses what would read as a hash")
    func cleartext() throws {
        #expect(try Self.hasher.hash(Array("plain".utf8), scheme: .cleartext) == "plain")
        #expect(throws: PasswordHashingError.self) { try Self.hasher.hash([0xFF, 0xFE], scheme: .cleartext) }
        #expect(throws: PasswordHashingError.self) {
            try Self.hasher.hash(Array("{SSHA}abc".utf8), scheme: .cleartext)
        }
    }

    @Test("needsRehash: another scheme, other Argon2 costs or variant, other PBKDF2 rounds")
    func rehash() throws {
        let argon = Self.hasher
        #expect(argon.needsRehash(Array("{SSHA}dXGwh+cjMTJMwt6ZHLJQEa6mQAJEnryJ".utf8), to: .argon2))
        #expect(argon.needsRehash(Array("plain".utf8), to: .argon2))
        let slapd =
            "{ARGON2}$argon2i$v=19$m=1024,t=2,p=2$77f7oqNUMG5iJeUGlslUIA$eU6xOXY7pjgdGnGemyS+5T2zJGTJ5YiRUW604IYOUbM"
        #expect(argon.needsRehash(Array(slapd.utf8), to: .argon2))
        let ours = try argon.hash(Array("a".utf8), scheme: .argon2)
        #expect(!argon.needsRehash(Array(ours.utf8), to: .argon2))
        #expect(PasswordHasher().needsRehash(Array(ours.utf8), to: .argon2))
        #expect(argon.needsRehash(Array(ours.utf8), to: .ssha))
        #expect(!argon.needsRehash(Array("{UNKNOWN}xyz".utf8), to: .argon2))
        let pbkdf2 = try argon.hash(Array("a".utf8), scheme: .pbkdf2Sha256)
        #expect(PasswordHasher(pbkdf2Rounds: 2000).needsRehash(Array(pbkdf2.utf8), to: .pbkdf2Sha256))
    }

    @Test("isPrehashed: known {SCHEME} prefixes only, any case")
    func prehashed() {
        #expect(PasswordHasher.isPrehashed(Array("{SSHA}abc".utf8)))
        #expect(PasswordHasher.isPrehashed(Array("{argon2}$argon2id$…".utf8)))
        #expect(PasswordHasher.isPrehashed(Array("{CRYPT}$6$x$y".utf8)))
        #expect(PasswordHasher.isPrehashed(Array("{pbkdf2-sha512}1$a$b".utf8)))
        #expect(!PasswordHasher.isPrehashed(Array("{MD5}abc".utf8)))
        #expect(!PasswordHasher.isPrehashed(Array("secret".utf8)))
        #expect(!PasswordHasher.isPrehashed(Array("{}secret".utf8)))
        #expect(!PasswordHasher.isPrehashed(Array("{CLEARTEXT}secret".utf8)))
    }

    @Test("scheme names in configuration and flags")
    func schemeNames() {
        #expect(PasswordScheme(name: "argon2") == .argon2)
        #expect(PasswordScheme(name: "{SSHA}") == .ssha)
        #expect(PasswordScheme(name: "PBKDF2-sha512") == .pbkdf2Sha512)
        #expect(PasswordScheme(name: "cleartext") == .cleartext)
        #expect(PasswordScheme(name: "md5") == nil)
        #expect(PasswordScheme.pbkdf2Sha256.description == "pbkdf2-sha256")
    }

    @Test("parameter validation")
    func validation() {
        #expect(Argon2Parameters.default.isValid)
        var parameters = Argon2Parameters.default
        parameters.memoryKiB = 4
        #expect(!parameters.isValid)
        parameters = .default
        parameters.memoryKiB = 1 << 30
        #expect(!parameters.isValid)
        parameters = .default
        parameters.parallelism = 0
        #expect(!parameters.isValid)
        parameters = .default
        parameters.iterations = 0
        #expect(!parameters.isValid)
        parameters = .default
        parameters.saltLength = 4
        #expect(!parameters.isValid)
        parameters = .default
        parameters.hashLength = 8
        #expect(!parameters.isValid)
        #expect(throws: PasswordHashingError.self) { try PasswordHasher(pbkdf2Rounds: 0).validate() }
        #expect(throws: PasswordHashingError.self) { try PasswordHasher(argon2: parameters).hash([1], scheme: .argon2) }
    }
}

import Testing

@testable import PasswordHashing

/// Values produced by independent tools, checked against our verification: slappasswd 2.5.13 (Debian's slapd,
/// with its pw-sha2 and argon2 modules), Python's argon2-cffi and hashlib (PBKDF2 written in pw-pbkdf2's
/// format), `openssl passwd -5/-6` and Python's crypt module (libxcrypt).
@Suite("Vectors from independent tools")
struct VectorTests {
    static let password = Array("correct horse battery staple".utf8)
    static let hasher = PasswordHasher()

    static let vectors: [(tool: String, stored: String)] = [
        ("slappasswd -h {SSHA}", "{SSHA}dXGwh+cjMTJMwt6ZHLJQEa6mQAJEnryJ"),
        ("slappasswd -h {SHA}", "{SHA}q/eq1kOINtvlJqojGr3i0O73TUI="),
        ("slappasswd pw-sha2 {SSHA256}", "{SSHA256}MRMwLD0SAsHy0MMcUvrV5AJs64N+QpS8mURdjncy04mG63dzBvziMw=="),
        (
            "slappasswd pw-sha2 {SSHA512}",
            "{SSHA512}Z2eJyjcPz/J563WeM/Ttl7xNEdVkSZ0nxiJZWtY6Bg6M4KA5JMSMiJJTQ8dD6MILW+oR1ikFMAKww4gJtD1MB0kirh289ZHD"
        ),
        (
            "slappasswd argon2 module (argon2i, m=1024 t=2 p=2)",
            "{ARGON2}$argon2i$v=19$m=1024,t=2,p=2$77f7oqNUMG5iJeUGlslUIA$eU6xOXY7pjgdGnGemyS+5T2zJGTJ5YiRUW604IYOUbM"
        ),
        (
            "argon2-cffi argon2id m=1024 t=2 p=1",
            "{ARGON2}$argon2id$v=19$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg"
        ),
        (
            "argon2-cffi argon2id m=256 t=1 p=2",
            "{ARGON2}$argon2id$v=19$m=256,t=1,p=2$MDEyMzQ1Njc4OWFiY2RlZg$Lpf76jgC98vc+ImjNhAYXk+5gV1HQGRXNmdyhBeckoE"
        ),
        (
            "hashlib PBKDF2-SHA256 10000",
            "{PBKDF2-SHA256}10000$yMnKy8zNzs/Q0dLT1NXW1w$SNl1jWvuiIZlp7TnnzSltMdipcFxfHH4XJisKNvIaYw"
        ),
        (
            "hashlib PBKDF2-SHA256 1000",
            "{PBKDF2-SHA256}1000$yMnKy8zNzs/Q0dLT1NXW1w$5fipzTivlGvteapzAjP4Cy4K6rUxwQIGtSxF9O8iv0Q"
        ),
        (
            "hashlib PBKDF2-SHA512 10000",
            "{PBKDF2-SHA512}10000$yMnKy8zNzs/Q0dLT1NXW1w$HsOdH0AcDMPDapjrFjeWpSqxvIZPa5w0eg1nFCN1d63QIRMysJKsPBJHhaqHLrVf3r6R1xL5UsK4ISjmP.1Zow"
        ),
        ("openssl passwd -5", "{CRYPT}$5$saltstring$hixOXgchwauyzVtlSM/e7UnQx0qiTk74JE/YU53IbE0"),
        (
            "openssl passwd -6",
            "{CRYPT}$6$Ab3.Zz/9$b6/4NjMjLXPkewUd9Z.jyA0aD/MKuw8/DYojzuBZ0j8xKJF8TsbOLA9fhIFnNZ1/EavZMd81jOiosi8MPZsxO1"
        ),
        (
            "python crypt $6$ rounds=10000",
            "{CRYPT}$6$rounds=10000$usesomesillystri$EQKeZcSSoWVFPm1DEQdhyXkLiXlc67ijSb/WxgL415FXWqynfLBZIgwiONVeyHjh8xdCz/jFoSQ1xV0zaztw11"
        ),
        (
            "python crypt $5$ rounds=1000",
            "{CRYPT}$5$rounds=1000$roundstoolow$e7M8/jKxuRGz/B0HBeVmCSxjq8k2V7MGFHnktjeO/t6"
        ),
        ("cleartext", "correct horse battery staple"),
    ]

    @Test("each vector verifies with its password and not with another", arguments: vectors.map(\.stored))
    func vector(_ stored: String) {
        #expect(Self.hasher.verify(Self.password, against: Array(stored.utf8)))
        #expect(!Self.hasher.verify(Array("correct horse battery stapl".utf8), against: Array(stored.utf8)))
        #expect(!Self.hasher.verify(Self.password + [0x20], against: Array(stored.utf8)))
        #expect(!Self.hasher.verify([], against: Array(stored.utf8)))
    }

    @Test("schemes are case-insensitive in stored values")
    func lowerCasePrefix() {
        #expect(Self.hasher.verify(Self.password, against: Array("{ssha}dXGwh+cjMTJMwt6ZHLJQEa6mQAJEnryJ".utf8)))
        #expect(
            Self.hasher.verify(
                Self.password,
                against: Array(
                    "{pbkdf2-sha256}1000$yMnKy8zNzs/Q0dLT1NXW1w$5fipzTivlGvteapzAjP4Cy4K6rUxwQIGtSxF9O8iv0Q".utf8)))
    }

    @Test("non-ASCII passwords (UTF-8 bytes) from slappasswd and argon2-cffi")
    func unicode() {
        let password = Array("Mot de passe été".utf8)
        let slapd =
            "{ARGON2}$argon2i$v=19$m=4096,t=3,p=1$Eg9PfRF4EgrgRhDxAAHAhg$ty0xevQfimwzlGTTNDu+CS43QEqqDaQP4LIY0RhwcqQ"
        let cffi =
            "{ARGON2}$argon2id$v=19$m=512,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$O920nrAsLOLx2HcO3RaQn6xeqVkInN+kPIZs8vepqT0"
        #expect(Self.hasher.verify(password, against: Array(slapd.utf8)))
        #expect(Self.hasher.verify(password, against: Array(cffi.utf8)))
        #expect(!Self.hasher.verify(Array("Mot de passe ete".utf8), against: Array(cffi.utf8)))
    }

    @Test("an {ARGON2} value as Debian's slapd 2.5 stores it (ppolicy_hash_cleartext): trailing NUL bytes")
    func slapdStoredArgon2() {
        // ldapsearch of a value slapd 2.5.13 hashed on add (password-hash {ARGON2}, ppolicy_hash_cleartext).
        let stored =
            Array(
                "{ARGON2}$argon2i$v=19$m=4096,t=3,p=1$wK2Od8d0Oq2uhI/zIEhQYA$4U2W7AjYcJHM2tNR+4X2stXqHK/vZX3kTMmE0TiK3kM"
                    .utf8) + [0, 0]
        #expect(Self.hasher.verify(Array("Clear-Pass-1".utf8), against: stored))
        #expect(!Self.hasher.verify(Array("Clear-Pass-2".utf8), against: stored))
        #expect(Self.hasher.needsRehash(stored, to: .argon2))
    }

    @Test("the {SSHA} and {SHA} vectors of the previous verifier still verify 'secret'")
    func previousVectors() {
        let secret = Array("secret".utf8)
        #expect(Self.hasher.verify(secret, against: Array("{SSHA}f64/UYAMZMSHQQroWplUow6KDPDbHjTK".utf8)))
        #expect(Self.hasher.verify(secret, against: Array("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=".utf8)))
        // Missing final padding is tolerated (as slapd's base64 decoder does); wrong padding is not.
        #expect(Self.hasher.verify(secret, against: Array("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ".utf8)))
        #expect(!Self.hasher.verify(secret, against: Array("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ==".utf8)))
    }
}

import Testing

@testable import PasswordHashing

/// Damaged, truncated or hostile stored values: they never verify, never trap, and never make the hasher
/// allocate or compute beyond the bounds.
@Suite("Malformed stored values")
struct MalformedTests {
    static let hasher = PasswordHasher()
    static let password = Array("correct horse battery staple".utf8)

    static let malformed: [String] = [
        "{SSHA}not base64!",
        "{SSHA}dXGwh+cjMTJMwt6ZHLJQEa6mQAJEnryJ=",  // padding where none belongs
        "{SSHA}q/eq1kOINtvlJqojGr3i0O73TUI=",  // a bare SHA-1: no salt
        "{SHA}5en6G6MezRroT3XKqkdPOmY/",  // truncated
        "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ==",  // too much padding
        "{SSHA256}",
        "{ARGON2}",
        "{ARGON2}$argon2id$v=19$m=1099511627776,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=4294967295,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=1048576,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=1024,t=4000000000,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=1024,t=2,p=255$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=1024,t=0,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=8,t=2,p=2$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=-1,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=01024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=20$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2x$v=19$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$t=2,m=1024,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=1024,t=2,p=1$MDEy$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",  // salt < 8 bytes
        "{ARGON2}$argon2id$v=19$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4",  // hash < 16 bytes
        "{ARGON2}$argon2id$v=19$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg==$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{ARGON2}$argon2id$v=19$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70h!",
        "{ARGON2}$argon2id$v=19$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg",
        "{ARGON2}argon2id$v=19$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg",
        "{PBKDF2-SHA256}99999999$yMnKy8zNzs/Q0dLT1NXW1w$SNl1jWvuiIZlp7TnnzSltMdipcFxfHH4XJisKNvIaYw",
        "{PBKDF2-SHA256}99999999999999999999$yMnKy8zNzs/Q0dLT1NXW1w$SNl1jWvuiIZlp7TnnzSltMdipcFxfHH4XJisKNvIaYw",
        "{PBKDF2-SHA256}0$yMnKy8zNzs/Q0dLT1NXW1w$SNl1jWvuiIZlp7TnnzSltMdipcFxfHH4XJisKNvIaYw",
        "{PBKDF2-SHA256}10000$yMnKy8zNzs/Q0dLT1NXW1w$SNl1jWvuiIZlp7TnnzSltMdipcFxfHH4XJisKNvI",  // short hash
        "{PBKDF2-SHA512}10000$yMnKy8zNzs/Q0dLT1NXW1w$SNl1jWvuiIZlp7TnnzSltMdipcFxfHH4XJisKNvIaYw",  // 32 bytes
        "{PBKDF2-SHA256}10000$yMnKy8zNzs+Q0dLT1NXW1w$SNl1jWvuiIZlp7TnnzSltMdipcFxfHH4XJisKNvIaYw",  // '+' not ab64
        "{PBKDF2-SHA256}10000$$SNl1jWvuiIZlp7TnnzSltMdipcFxfHH4XJisKNvIaYw",
        "{PBKDF2-SHA256}10000$yMnKy8zNzs/Q0dLT1NXW1w",
        "{CRYPT}$6$rounds=999999999$usesomesillystri$EQKeZcSSoWVFPm1DEQdhyXkLiXlc67ijSb/WxgL415FXWqynfLBZIgwiONVeyHjh8xdCz/jFoSQ1xV0zaztw11",
        "{CRYPT}$6$Ab3.Zz/9$b6/4NjMjLXPkewUd9Z",  // truncated
        "{CRYPT}$1$saltsalt$abcdefghijklmnopqrstuv",  // MD5-crypt: not accepted
        "{CRYPT}abJnggxhB/yWI",  // DES: not accepted
        "{CRYPT}$y$j9T$salt$hash",  // yescrypt: not accepted
        "{CRYPT}$5$salt\u{0}x$hixOXgchwauyzVtlSM/e7UnQx0qiTk74JE/YU53IbE0",
        "{MD5}X03MO1qnZdYdgyfeuILPmQ==",  // unknown scheme
        "{CLEARTEXT}correct horse battery staple",
        "{SSHA}" + String(repeating: "A", count: 4000),
    ]

    @Test("malformed values never verify", arguments: malformed)
    func neverVerifies(_ stored: String) {
        #expect(!Self.hasher.verify(Self.password, against: Array(stored.utf8)))
    }

    @Test("random bytes after each prefix never trap")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        let prefixes = PasswordScheme.allCases.map(\.prefix) + ["{ARGON2}$argon2id$v=19$m=", "{CRYPT}$6$"]
        for _ in 0..<300 {
            let prefix = prefixes.randomElement(using: &generator) ?? ""
            let tail = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in
                UInt8.random(in: .min ... .max, using: &generator)
            }
            _ = Self.hasher.verify(Self.password, against: Array(prefix.utf8) + tail)
        }
    }

    @Test("argon2 costs beyond the bounds are refused by the parser before any allocation")
    func argon2Bounds() {
        let huge =
            "$argon2id$v=19$m=1099511627776,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg"
        #expect(Argon2Hash(encoded: Array(huge.utf8)) == nil)
        let atLimit =
            "$argon2id$v=19$m=262144,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg"
        #expect(Argon2Hash(encoded: Array(atLimit.utf8)) != nil)
        let noVersion = "$argon2i$m=1024,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$lJAvJLp4BtcmmSKsJhfE7j/mz0i66bt6kndBqHr70hg"
        #expect(Argon2Hash(encoded: Array(noVersion.utf8))?.version == 0x10)
    }

    @Test("a password with a NUL byte never matches a {CRYPT} value")
    func cryptNul() {
        let stored = "{CRYPT}$5$saltstring$hixOXgchwauyzVtlSM/e7UnQx0qiTk74JE/YU53IbE0"
        #expect(!Self.hasher.verify(Self.password + [0, 0x41], against: Array(stored.utf8)))
    }
}

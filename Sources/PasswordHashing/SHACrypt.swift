import CCrypt

/// `{CRYPT}` values in the SHA-crypt formats (`$5$` SHA-256, `$6$` SHA-512, Drepper's specification),
/// computed by Debian's libxcrypt (`crypt_rn`), the library glibc systems use for /etc/shadow.
///
/// Only `$5$` and `$6$` are accepted: DES and MD5 crypt are too weak to keep, and other methods were not asked
/// for. Rounds above ``maximumRounds`` are refused before computing (the format allows 999,999,999, which
/// would hold a pool thread for minutes).
enum SHACrypt {
    /// Highest `rounds=` accepted (the default is 5,000).
    static let maximumRounds = 1_000_000

    /// Whether `password` gives the stored `setting` (the whole `$6$…$…` text); false when the value is not
    /// SHA-crypt, when its rounds are out of range, or when the password holds a NUL byte (crypt(3) takes C
    /// strings, so such a password cannot be what was hashed).
    static func matches(_ password: [UInt8], setting: some Collection<UInt8>) -> Bool {
        let stored = Array(setting)
        guard isAcceptable(stored), !password.contains(0), let computed = crypt(password, setting: stored) else {
            return false
        }
        return ConstantTime.equal(computed, stored)
    }

    /// A new `$6$` value (SHA-512, default 5,000 rounds, 16 salt characters from the CSPRNG).
    static func make(_ password: [UInt8]) throws(PasswordHashingError) -> String {
        guard !password.contains(0) else {
            throw .unsupportedPassword(.crypt, "a crypt(3) password cannot contain a NUL byte")
        }
        let random = SecureRandom.bytes(16)
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let made = random.withUnsafeBufferPointer { randomBuffer in
            setting.withUnsafeMutableBufferPointer { output in
                crypt_gensalt_rn(
                    "$6$", 0, randomBuffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                    Int32(randomBuffer.count), output.baseAddress, Int32(output.count))
            }
        }
        guard made != nil else { throw .libraryFailure(.crypt, "crypt_gensalt_rn refused the setting") }
        let settingBytes = setting.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        guard let computed = crypt(password, setting: settingBytes), computed.first == UInt8(ascii: "$") else {
            throw .libraryFailure(.crypt, "crypt_rn failed")
        }
        return String(decoding: computed, as: UTF8.self)
    }

    /// The `rounds=` of a stored value (5,000 when absent), `nil` when it is not acceptable SHA-crypt.
    static func rounds(of stored: [UInt8]) -> Int? {
        guard isAcceptable(stored) else { return nil }
        return parse(stored)?.rounds
    }

    /// `$5$` or `$6$`, optional `rounds=N$` (N ≤ ``maximumRounds``), 0–16 salt characters, `$`, and a hash of
    /// 43 (SHA-256) or 86 (SHA-512) characters of crypt's alphabet.
    static func isAcceptable(_ stored: [UInt8]) -> Bool {
        parse(stored) != nil
    }

    private static func parse(_ stored: [UInt8]) -> (rounds: Int, hashLength: Int)? {
        let fields = stored.split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard fields.count == 4 || fields.count == 5, fields[0].isEmpty else { return nil }
        let hashLength: Int
        switch Array(fields[1]) {
        case Array("5".utf8): hashLength = 43
        case Array("6".utf8): hashLength = 86
        default: return nil
        }
        var rounds = 5000
        if fields.count == 5 {
            let prefix = Array("rounds=".utf8)
            guard fields[2].starts(with: prefix) else { return nil }
            let digits = fields[2].dropFirst(prefix.count)
            guard (1...7).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }) else {
                return nil
            }
            rounds = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard rounds <= maximumRounds else { return nil }
        }
        let salt = fields[fields.count - 2]
        let hash = fields[fields.count - 1]
        guard salt.count <= 16, salt.allSatisfy(isCryptCharacter), hash.count == hashLength,
            hash.allSatisfy(isCryptCharacter)
        else { return nil }
        return (rounds, hashLength)
    }

    private static func isCryptCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
            true
        default: false
        }
    }

    /// crypt_rn(password, setting) with its state on the heap (about 32 KiB), cleared afterwards; `nil` when
    /// libxcrypt fails.
    private static func crypt(_ password: [UInt8], setting: [UInt8]) -> [UInt8]? {
        let size = MemoryLayout<crypt_data>.size
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        defer {
            data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            data.deallocate()
        }
        var phrase = password.map { CChar(bitPattern: $0) } + [0]
        defer { for index in phrase.indices { phrase[index] = 0 } }
        let settingText = setting.map { CChar(bitPattern: $0) } + [0]
        guard let result = crypt_rn(phrase, settingText, data, Int32(size)) else { return nil }
        // The output lives in `data`, NUL-terminated within CRYPT_OUTPUT_SIZE bytes.
        var bytes: [UInt8] = []
        var index = 0
        while index < Int(CRYPT_OUTPUT_SIZE), result[index] != 0 {
            bytes.append(UInt8(bitPattern: result[index]))
            index += 1
        }
        return bytes.first == UInt8(ascii: "*") ? nil : bytes
    }
}

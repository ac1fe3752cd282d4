import CArgon2

/// An `{ARGON2}` value: the PHC string libargon2 and OpenLDAP's argon2 module write,
/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (salt and hash in unpadded base64).
///
/// Annuaire writes argon2id, version 19. It reads argon2i too (what Debian's slapd 2.5 module writes) and
/// argon2d, and a value without `v=` (version 16, the first one), so that every value OpenLDAP wrote verifies.
struct Argon2Hash: Sendable, Equatable {
    /// The Argon2 variant named in the value.
    enum Variant: String, Sendable, CaseIterable {
        case argon2d, argon2i, argon2id

        /// libargon2's type constant.
        var type: argon2_type {
            switch self {
            case .argon2d: Argon2_d
            case .argon2i: Argon2_i
            case .argon2id: Argon2_id
            }
        }
    }

    var variant: Variant
    /// 0x13 (19) or 0x10 (16).
    var version: UInt32
    var memoryKiB: UInt32
    var iterations: UInt32
    var parallelism: UInt32
    var salt: [UInt8]
    var hash: [UInt8]

    /// The version libargon2 writes (1.3).
    static let currentVersion: UInt32 = 0x13

    /// The parameters of this value, salt and hash lengths included.
    var parameters: Argon2Parameters {
        Argon2Parameters(
            memoryKiB: memoryKiB, iterations: iterations, parallelism: parallelism, saltLength: salt.count,
            hashLength: hash.count)
    }

    /// The PHC text (without `{ARGON2}`).
    var encoded: String {
        "$\(variant.rawValue)$v=\(version)$m=\(memoryKiB),t=\(iterations),p=\(parallelism)$"
            + "\(Base64Codec.phc.encode(salt))$\(Base64Codec.phc.encode(hash))"
    }

    /// A new argon2id hash of `password` with `parameters` and a fresh random salt.
    static func make(_ password: [UInt8], parameters: Argon2Parameters) throws(PasswordHashingError) -> Argon2Hash {
        try parameters.validate()
        var value = Argon2Hash(
            variant: .argon2id, version: currentVersion, memoryKiB: parameters.memoryKiB,
            iterations: parameters.iterations, parallelism: parameters.parallelism,
            salt: SecureRandom.bytes(parameters.saltLength), hash: [])
        value.hash = try value.derive(password, length: parameters.hashLength)
        return value
    }

    /// Whether `password` gives this value's hash (constant-time comparison). False when libargon2 refuses.
    func matches(_ password: [UInt8]) -> Bool {
        guard let derived = try? derive(password, length: hash.count) else { return false }
        return ConstantTime.equal(derived, hash)
    }

    /// Argon2 of `password` with this value's variant, version, costs and salt, `length` bytes long. Computed by
    /// libargon2 with one thread whatever the lanes (the result depends on lanes only), on the calling thread.
    func derive(_ password: [UInt8], length: Int) throws(PasswordHashingError) -> [UInt8] {
        guard costsAreBounded, Argon2Parameters.hashLengths.contains(length) else {
            throw .invalidParameter("argon2 parameters out of range: \(parameters)")
        }
        // libargon2 takes 32-bit lengths; a password cannot be longer than an LDAP message anyway.
        guard let passwordLength = UInt32(exactly: password.count) else {
            throw .unsupportedPassword(.argon2, "the password is too long")
        }
        var output = [UInt8](repeating: 0, count: length)
        var saltCopy = salt
        var passwordCopy = password
        let status = output.withUnsafeMutableBufferPointer { out in
            saltCopy.withUnsafeMutableBufferPointer { saltBuffer in
                passwordCopy.withUnsafeMutableBufferPointer { passwordBuffer in
                    var context = argon2_context(
                        out: out.baseAddress, outlen: UInt32(out.count),
                        pwd: passwordBuffer.baseAddress, pwdlen: passwordLength,
                        salt: saltBuffer.baseAddress, saltlen: UInt32(saltBuffer.count),
                        secret: nil, secretlen: 0, ad: nil, adlen: 0,
                        t_cost: iterations, m_cost: memoryKiB, lanes: parallelism, threads: 1,
                        // flags 0 (ARGON2_DEFAULT_FLAGS): libargon2 clears nothing in our buffers; we clear the copy.
                        version: version, allocate_cbk: nil, free_cbk: nil, flags: 0)
                    return argon2_ctx(&context, variant.type)
                }
            }
        }
        // The copies held the password: clear them before they are freed.
        passwordCopy.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = 0 }
        }
        guard status == Int32(ARGON2_OK.rawValue) else {
            throw .libraryFailure(.argon2, String(cString: argon2_error_message(status)))
        }
        return output
    }

    /// Whether memory, passes, lanes and salt length are within ``Argon2Parameters``' bounds (lanes first, so
    /// that the memory minimum of 8 KiB per lane cannot overflow).
    private var costsAreBounded: Bool {
        (1...Argon2Parameters.maximumParallelism).contains(parallelism)
            && (8 * parallelism...Argon2Parameters.maximumMemoryKiB).contains(memoryKiB)
            && (1...Argon2Parameters.maximumIterations).contains(iterations)
            && Argon2Parameters.saltLengths.contains(salt.count)
    }

    /// Whether a parsed value is within the bounds, hash length included.
    static func acceptable(_ value: Argon2Hash) -> Bool {
        value.costsAreBounded && Argon2Parameters.hashLengths.contains(value.hash.count)
    }

    /// Parses a PHC string; `nil` when it is malformed or its costs are beyond the bounds (refused before any
    /// memory is allocated for them).
    ///
    /// Trailing NUL bytes are ignored: Debian's slapd 2.5 argon2 module stores the C buffer sized by
    /// `argon2_encodedlen`, NULs included (`…$hash\0\0`, seen in slapcat output), and slapd itself reads the value
    /// as a C string. Those values must verify after a migration.
    init?(encoded text: some Collection<UInt8>) {
        var bytes = Array(text)
        while bytes.last == 0 { bytes.removeLast() }
        // "", variant, [v=N], m=…,t=…,p=…, salt, hash
        let fields = bytes.split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard fields.count == 5 || fields.count == 6, fields[0].isEmpty,
            let variant = Variant(rawValue: String(decoding: fields[1], as: UTF8.self))
        else { return nil }
        var index = 2
        var version: UInt32 = 0x10
        if fields.count == 6 {
            guard fields[2].starts(with: Array("v=".utf8)), let number = Self.number(fields[2].dropFirst(2)),
                number == 0x10 || number == 0x13
            else { return nil }
            version = number
            index = 3
        }
        let costs = fields[index].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard costs.count == 3, costs[0].starts(with: Array("m=".utf8)), costs[1].starts(with: Array("t=".utf8)),
            costs[2].starts(with: Array("p=".utf8)),
            let memory = Self.number(costs[0].dropFirst(2)), let iterations = Self.number(costs[1].dropFirst(2)),
            let parallelism = Self.number(costs[2].dropFirst(2)),
            let salt = Base64Codec.phc.decode(fields[index + 1]), let hash = Base64Codec.phc.decode(fields[index + 2])
        else { return nil }
        self.init(
            variant: variant, version: version, memoryKiB: memory, iterations: iterations, parallelism: parallelism,
            salt: salt, hash: hash)
        guard Self.acceptable(self) else { return nil }
    }

    private init(
        variant: Variant, version: UInt32, memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32,
        salt: [UInt8], hash: [UInt8]
    ) {
        self.variant = variant
        self.version = version
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
        self.salt = salt
        self.hash = hash
    }

    /// A decimal number of at most 10 digits without sign or leading zero that fits in 32 bits.
    private static func number(_ digits: some Collection<UInt8>) -> UInt32? {
        guard (1...10).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }),
            digits.count == 1 || digits.first != 0x30
        else { return nil }
        var value: UInt64 = 0
        for digit in digits { value = value * 10 + UInt64(digit - 0x30) }
        return UInt32(exactly: value)
    }
}

import Directory
import LDAPProtocol
import NIOCore
import PasswordHashing
import Storage
import Testing

/// Passwords received in clear are stored hashed (Add, Modify, Password Modify); pre-hashed values only from
/// the root DN or with the allowance; binds re-hash values in older schemes (docs/passwords.md).
@Suite("Password storage")
struct PasswordStorageTests {
    /// Cheap Argon2 costs, so that re-hash decisions can be told from the defaults.
    static let cheap = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1, saltLength: 16, hashLength: 32)
    static let bobSSHA = "{SSHA}lHFzXul4wnzRItssVcTnvXWRjNgBAgMEBQYHCA=="
    static let bob = "uid=bob,\(peopleDN)"
    static let alice = "uid=alice,\(peopleDN)"

    func stored(_ directory: TestDirectory, _ dn: String) throws -> [String] {
        let found = try directory.search(dn, scope: .baseObject, attributes: ["userPassword"], as: .root)
        return found.entries.first?.values("userPassword") ?? []
    }

    func bind(_ directory: TestDirectory, _ dn: String, _ password: String) -> ResultCode {
        directory.perform(
            .bindRequest(
                BindRequest(name: ByteBuffer(string: dn), authentication: .simple(ByteBuffer(string: password)))),
            as: .anonymousLoopback
        ).outcome.log.resultCode
    }

    func modify(
        _ directory: TestDirectory, _ dn: String, _ changes: [(ModifyRequest.Change.Operation, String, [String])],
        as connection: ConnectionInfo
    ) -> OperationOutcome {
        let request = ModifyRequest(
            object: ByteBuffer(string: dn),
            changes: changes.map { .init(operation: $0.0, modification: PartialAttribute($0.1, $0.2)) })
        return directory.perform(.modifyRequest(request), as: connection).outcome
    }

    func passwordModify(
        _ directory: TestDirectory, user: String?, old: String? = nil, new: String, as connection: ConnectionInfo
    ) -> OperationOutcome {
        let request = PasswordModifyRequest(
            userIdentity: user.map { ByteBuffer(string: $0) }, oldPassword: old.map { ByteBuffer(string: $0) },
            newPassword: ByteBuffer(string: new))
        return directory.perform(.extendedRequest(request.request), as: connection).outcome
    }

    func person(_ uid: String, _ password: String) -> [(String, [String])] {
        [
            ("objectClass", ["inetOrgPerson"]), ("uid", [uid]), ("cn", [uid]), ("sn", [uid]),
            ("userPassword", [password]),
        ]
    }

    @Test("add: cleartext is stored as {ARGON2} argon2id with the configured costs, and binds")
    func addHashes() throws {
        let directory = try TestDirectory()
        let values = try stored(directory, Self.alice)
        #expect(values.count == 1)
        #expect(values.first?.hasPrefix("{ARGON2}$argon2id$v=19$m=19456,t=2,p=1$") == true)
        #expect(bind(directory, Self.alice, "alicepw") == .success)
        #expect(bind(directory, Self.alice, "alicepW") == .invalidCredentials)
        // A user's add (access control off: anyone may add) is hashed the same way.
        try expectSuccess(try directory.add("uid=dan,\(peopleDN)", person("dan", "dan-pass"), as: .entry("alice")))
        #expect(try stored(directory, "uid=dan,\(peopleDN)").first?.hasPrefix("{ARGON2}") == true)
        #expect(bind(directory, "uid=dan,\(peopleDN)", "dan-pass") == .success)
    }

    @Test("add: a pre-hashed value is kept from the root DN, refused from a user unless allowed")
    func addPrehashed() throws {
        let directory = try TestDirectory()
        #expect(try stored(directory, Self.bob) == [Self.bobSSHA])  // added by the root DN
        let refused = try directory.add("uid=eve,\(peopleDN)", person("eve", Self.bobSSHA), as: .entry("alice"))
        #expect(refused.log.resultCode == .constraintViolation)
        #expect(try directory.search("uid=eve,\(peopleDN)", as: .root).result?.resultCode == .noSuchObject)
        let lower = try directory.add("uid=eve,\(peopleDN)", person("eve", "{ssha256}abc"), as: .entry("alice"))
        #expect(lower.log.resultCode == .constraintViolation)
        // An unknown {SCHEME} is just a password, hashed like any other.
        try expectSuccess(try directory.add("uid=eve,\(peopleDN)", person("eve", "{MD5}notahash"), as: .entry("alice")))
        #expect(bind(directory, "uid=eve,\(peopleDN)", "{MD5}notahash") == .success)

        let lenient = try TestDirectory(passwordStorage: PasswordStorage(acceptsPrehashedFromUsers: true))
        try expectSuccess(try lenient.add("uid=eve,\(peopleDN)", person("eve", Self.bobSSHA), as: .entry("alice")))
        #expect(try stored(lenient, "uid=eve,\(peopleDN)") == [Self.bobSSHA])
    }

    @Test(
        "modify: add and replace of userPassword are hashed; pre-hashed only from root; delete names the stored value")
    func modifyHashes() throws {
        let directory = try TestDirectory()
        try expectSuccess(
            modify(directory, Self.alice, [(.replace, "userPassword", ["replaced-1"])], as: .entry("alice")))
        let replaced = try stored(directory, Self.alice)
        #expect(replaced.count == 1 && replaced.first?.hasPrefix("{ARGON2}$argon2id$") == true)
        #expect(bind(directory, Self.alice, "replaced-1") == .success)
        #expect(bind(directory, Self.alice, "alicepw") == .invalidCredentials)
        try expectSuccess(modify(directory, Self.alice, [(.add, "userPassword", ["second-2"])], as: .entry("alice")))
        #expect(try stored(directory, Self.alice).count == 2)
        #expect(bind(directory, Self.alice, "second-2") == .success)
        let prehashed = modify(directory, Self.alice, [(.replace, "userPassword", [Self.bobSSHA])], as: .entry("alice"))
        #expect(prehashed.log.resultCode == .constraintViolation)
        #expect(bind(directory, Self.alice, "replaced-1") == .success)
        try expectSuccess(modify(directory, Self.alice, [(.replace, "userPassword", [Self.bobSSHA])], as: .root))
        #expect(try stored(directory, Self.alice) == [Self.bobSSHA])
        // Deleting a value means naming it as stored.
        try expectSuccess(modify(directory, Self.alice, [(.delete, "userPassword", [Self.bobSSHA])], as: .root))
        #expect(try stored(directory, Self.alice).isEmpty)
    }

    @Test("Password Modify: the new password is hashed; a pre-hashed one only from the root DN")
    func passwordModifyHashes() throws {
        let directory = try TestDirectory()
        try expectSuccess(passwordModify(directory, user: nil, old: "alicepw", new: "via-exop", as: .entry("alice")))
        #expect(try stored(directory, Self.alice).first?.hasPrefix("{ARGON2}$argon2id$") == true)
        #expect(bind(directory, Self.alice, "via-exop") == .success)
        let refused = passwordModify(directory, user: nil, old: "via-exop", new: Self.bobSSHA, as: .entry("alice"))
        #expect(refused.log.resultCode == .constraintViolation)
        #expect(bind(directory, Self.alice, "via-exop") == .success)
        try expectSuccess(passwordModify(directory, user: Self.alice, new: Self.bobSSHA, as: .root))
        #expect(try stored(directory, Self.alice) == [Self.bobSSHA])
        #expect(bind(directory, Self.alice, "secret") == .success)
    }

    @Test("bind re-hashes an {SSHA} value to {ARGON2} once, and the password keeps working")
    func rehashOnBind() throws {
        let directory = try TestDirectory()
        #expect(bind(directory, Self.bob, "wrong") == .invalidCredentials)
        #expect(try stored(directory, Self.bob) == [Self.bobSSHA])  // no re-hash without a successful bind
        #expect(bind(directory, Self.bob, "secret") == .success)
        let rehashed = try stored(directory, Self.bob)
        #expect(rehashed.count == 1 && rehashed.first?.hasPrefix("{ARGON2}$argon2id$v=19$m=19456,t=2,p=1$") == true)
        #expect(bind(directory, Self.bob, "secret") == .success)
        #expect(try stored(directory, Self.bob) == rehashed)  // already in the configured scheme: no new write
    }

    @Test("bind re-hashes a value with other Argon2 costs and a cleartext value; not when switched off")
    func rehashVariants() throws {
        let directory = try TestDirectory(passwordStorage: PasswordStorage(argon2: Self.cheap))
        // alice was added with the cheap costs: binding changes nothing.
        let before = try stored(directory, Self.alice)
        #expect(before.first?.hasPrefix("{ARGON2}$argon2id$v=19$m=64,t=1,p=1$") == true)
        #expect(bind(directory, Self.alice, "alicepw") == .success)
        #expect(try stored(directory, Self.alice) == before)
        // A value with the default costs (root-provided) moves to the configured ones.
        let defaultCost = try PasswordHasher().hash(Array("secret".utf8), scheme: .argon2)
        try expectSuccess(modify(directory, Self.bob, [(.replace, "userPassword", [defaultCost])], as: .root))
        #expect(bind(directory, Self.bob, "secret") == .success)
        #expect(try stored(directory, Self.bob).first?.hasPrefix("{ARGON2}$argon2id$v=19$m=64,t=1,p=1$") == true)
        // A cleartext value (as an import may leave) is hashed at the first bind.
        try directory.store.modify(
            dn: try DistinguishedName(Self.alice),
            changes: [
                Modification(.replace, "userPassword", ["plain-pw"])
            ])
        #expect(try stored(directory, Self.alice) == ["plain-pw"])
        #expect(bind(directory, Self.alice, "plain-pw") == .success)
        #expect(try stored(directory, Self.alice).first?.hasPrefix("{ARGON2}") == true)
        #expect(bind(directory, Self.alice, "plain-pw") == .success)

        let off = try TestDirectory(passwordStorage: PasswordStorage(rehashOnBind: false))
        #expect(bind(off, Self.bob, "secret") == .success)
        #expect(try stored(off, Self.bob) == [Self.bobSSHA])
    }

    @Test("another configured scheme: {SSHA512} for new values")
    func otherScheme() throws {
        let directory = try TestDirectory(passwordStorage: PasswordStorage(scheme: .ssha512))
        #expect(try stored(directory, Self.alice).first?.hasPrefix("{SSHA512}") == true)
        #expect(bind(directory, Self.alice, "alicepw") == .success)
        #expect(bind(directory, Self.bob, "secret") == .success)
        #expect(try stored(directory, Self.bob).first?.hasPrefix("{SSHA512}") == true)
    }

    @Test("an unknown name and a wrong password answer alike")
    func decoy() throws {
        let directory = try TestDirectory()
        #expect(bind(directory, "uid=nobody,\(peopleDN)", "x") == .invalidCredentials)
        #expect(bind(directory, "uid=carol,\(peopleDN)", "x") == .invalidCredentials)
        #expect(bind(directory, Self.alice, "x") == .invalidCredentials)
    }

    @Test("configuration validation reports absurd costs")
    func validation() {
        #expect(throws: PasswordHashingError.self) {
            try PasswordStorage(
                argon2: Argon2Parameters(
                    memoryKiB: 1 << 31, iterations: 1, parallelism: 1, saltLength: 16, hashLength: 32)
            ).validate()
        }
        #expect(throws: Never.self) { try PasswordStorage().validate() }
    }
}

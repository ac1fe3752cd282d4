import Directory
import Foundation
import LDAPProtocol
import NIOCore
import PasswordHashing
import Schema
import Storage
import Testing

/// The password policy (docs/password-policy.md): pwdPolicy entries, Bind outcomes and the response control,
/// lockout, changeAfterReset, quality, history, assisted reset, D8. Real LMDB stores, a manual clock.
@Suite("Password policy")
struct PasswordPolicyTests {
    static let policyDN = "cn=ppolicy,dc=example,dc=com"
    static let alice = "uid=alice,\(peopleDN)"

    /// A directory whose default policy is `attributes` (added as a pwdPolicy entry), alice's password set by
    /// the root DN to `Alice-pw1` after it; `{SSHA}` storage keeps the many verifications cheap.
    static func directory(
        _ attributes: [(String, [String])], trusted: [String] = [], quiet: Int64 = 86_400
    ) throws -> TestDirectory {
        let settings = PasswordPolicySettings(
            defaultPolicyDN: try DistinguishedName(policyDN), trustedClients: try trusted.map { try DistinguishedName($0) },
            mailChangeQuietPeriod: quiet)
        let directory = try TestDirectory(passwordStorage: PasswordStorage(scheme: .ssha), passwordPolicy: settings)
        try expectSuccess(
            directory.add(
                policyDN,
                [("objectClass", ["device", "pwdPolicy"]), ("cn", ["ppolicy"]), ("pwdAttribute", ["userPassword"])]
                    + attributes, as: .root))
        try expectSuccess(directory.replace(alice, "userPassword", ["Alice-pw1"], as: .root))
        return directory
    }

    @Test("expiry: warning window, grace logins counting down, then passwordExpired; control only when asked")
    func expiry() throws {
        let directory = try Self.directory([
            ("pwdMaxAge", ["1000"]), ("pwdExpireWarning", ["300"]), ("pwdGraceAuthNLimit", ["2"]),
        ])
        var answer = directory.bind(Self.alice, "Alice-pw1")
        #expect(answer.code == .success && answer.policy == PasswordPolicyResponse())
        #expect(directory.bind(Self.alice, "Alice-pw1", control: false).controls.isEmpty)
        directory.clock.advance(seconds: 800)
        answer = directory.bind(Self.alice, "Alice-pw1")
        #expect(answer.code == .success && answer.policy?.warning == .timeBeforeExpiration(200))
        #expect(directory.bind(Self.alice, "Alice-pw1", control: false).controls.isEmpty)
        directory.clock.advance(seconds: 300)
        answer = directory.bind(Self.alice, "Alice-pw1")
        #expect(answer.code == .success && answer.policy?.warning == .graceAuthenticationsRemaining(1))
        answer = directory.bind(Self.alice, "Alice-pw1")
        #expect(answer.code == .success && answer.policy?.warning == .graceAuthenticationsRemaining(0))
        #expect(try directory.entry(Self.alice).values(of: "pwdGraceUseTime").count == 2)
        answer = directory.bind(Self.alice, "Alice-pw1")
        #expect(answer.code == .invalidCredentials && answer.policy?.error == .passwordExpired)
        #expect(answer.message == "invalid credentials")
        // The person changes it (in a grace login): the clock restarts.
        try expectSuccess(directory.replace(Self.alice, "userPassword", ["Alice-pw2"], as: .root))
        #expect(directory.bind(Self.alice, "Alice-pw2").code == .success)
    }

    @Test("lockout after pwdMaxFailure; locked, unknown and wrong answer alike unless the client is trusted")
    func lockout() throws {
        let trustedDN = "uid=bob,\(peopleDN)"
        let directory = try Self.directory(
            [("pwdLockout", ["TRUE"]), ("pwdMaxFailure", ["3"]), ("pwdLockoutDuration", ["600"])],
            trusted: [trustedDN])
        for _ in 0..<2 { #expect(directory.bind(Self.alice, "wrong").code == .invalidCredentials) }
        #expect(try directory.entry(Self.alice).values(of: "pwdFailureTime").count == 2)
        #expect(directory.bind(Self.alice, "Alice-pw1").code == .success)
        #expect(try directory.entry(Self.alice).values(of: "pwdFailureTime").isEmpty)
        for _ in 0..<3 { #expect(directory.bind(Self.alice, "wrong").code == .invalidCredentials) }
        #expect(try !directory.entry(Self.alice).values(of: "pwdAccountLockedTime").isEmpty)
        let locked = directory.bind(Self.alice, "Alice-pw1")
        let wrong = directory.bind(Self.alice, "wrong")
        let unknown = directory.bind("uid=nobody,\(peopleDN)", "Alice-pw1")
        for answer in [locked, wrong, unknown] {
            #expect(answer.code == .invalidCredentials && answer.message == "invalid credentials")
            #expect(answer.policy == PasswordPolicyResponse())
        }
        let plain = directory.bind(Self.alice, "Alice-pw1", control: false)
        #expect(plain.code == .invalidCredentials && plain.controls.isEmpty)
        // A trusted client (and the root DN) learns why.
        var trusted = ConnectionInfo.anonymousLoopback
        trusted.identity = .entry(try DistinguishedName(trustedDN))
        #expect(directory.bind(Self.alice, "Alice-pw1", on: trusted).policy?.error == .accountLocked)
        #expect(directory.bind(Self.alice, "Alice-pw1", on: .root).policy?.error == .accountLocked)
        // pwdLockoutDuration over: the right password gets in and clears the lock.
        directory.clock.advance(seconds: 601)
        #expect(directory.bind(Self.alice, "Alice-pw1").code == .success)
        let entry = try directory.entry(Self.alice)
        #expect(entry.values(of: "pwdAccountLockedTime").isEmpty && entry.values(of: "pwdFailureTime").isEmpty)
    }

    @Test("pwdMinDelay/pwdMaxDelay: a temporary lockout after each failure, doubled up to the maximum (slapd 2.5)")
    func failureDelay() throws {
        let trustedDN = "uid=bob,\(peopleDN)"
        let directory = try Self.directory([("pwdMinDelay", ["10"]), ("pwdMaxDelay", ["35"])], trusted: [trustedDN])
        var trusted = ConnectionInfo.anonymousLoopback
        trusted.identity = .entry(try DistinguishedName(trustedDN))
        // Delays 10, 20, 35 (capped), 35: during each, even the right password is refused (accountLocked for
        // trusted clients only), and nothing more is counted.
        for (failures, delay) in [(1, 10), (2, 20), (3, 35), (4, 35)] {
            #expect(directory.bind(Self.alice, "wrong").code == .invalidCredentials)
            #expect(try directory.entry(Self.alice).values(of: "pwdFailureTime").count == failures)
            let during = directory.bind(Self.alice, "Alice-pw1")
            #expect(during.code == .invalidCredentials && during.policy == PasswordPolicyResponse())
            #expect(directory.bind(Self.alice, "Alice-pw1", on: trusted).policy?.error == .accountLocked)
            #expect(try directory.entry(Self.alice).values(of: "pwdFailureTime").count == failures)
            directory.clock.advance(seconds: Int64(delay) - 1)
            #expect(directory.bind(Self.alice, "Alice-pw1").code == .invalidCredentials, "delay \(delay)")
            directory.clock.advance(seconds: 1)
        }
        // Over: the right password gets in and clears the failures and the lockout end.
        #expect(directory.bind(Self.alice, "Alice-pw1").code == .success)
        let entry = try directory.entry(Self.alice)
        #expect(entry.values(of: "pwdFailureTime").isEmpty && entry.values(of: "pwdAccountTmpLockoutEnd").isEmpty)
        // The delay restarts from pwdMinDelay.
        #expect(directory.bind(Self.alice, "wrong").code == .invalidCredentials)
        directory.clock.advance(seconds: 10)
        #expect(directory.bind(Self.alice, "Alice-pw1").code == .success)
    }

    @Test("pwdFailureCountInterval: older failures stay recorded (as slapd) but no longer count toward the lock")
    func failureCountInterval() throws {
        let directory = try Self.directory([
            ("pwdLockout", ["TRUE"]), ("pwdMaxFailure", ["3"]), ("pwdFailureCountInterval", ["600"]),
        ])
        for _ in 0..<2 { #expect(directory.bind(Self.alice, "wrong").code == .invalidCredentials) }
        directory.clock.advance(seconds: 700)
        for _ in 0..<2 { #expect(directory.bind(Self.alice, "wrong").code == .invalidCredentials) }
        var entry = try directory.entry(Self.alice)
        #expect(entry.values(of: "pwdFailureTime").count == 3 && entry.values(of: "pwdAccountLockedTime").isEmpty)
        #expect(directory.bind(Self.alice, "wrong").code == .invalidCredentials)
        entry = try directory.entry(Self.alice)
        #expect(!entry.values(of: "pwdAccountLockedTime").isEmpty)
        #expect(directory.bind(Self.alice, "Alice-pw1", on: .root).policy?.error == .accountLocked)
    }

    @Test("concurrent failed binds from several threads are counted exactly")
    func concurrentFailures() async throws {
        let directory = try Self.directory([("pwdLockout", ["TRUE"]), ("pwdMaxFailure", ["20"])])
        let service = directory.service
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                group.addTask {
                    let bind = BindRequest(name: ByteBuffer(string: Self.alice), authentication: .simple(ByteBuffer(string: "bad")))
                    _ = service.perform(
                        LDAPMessage(messageID: Int32(100 + index), protocolOp: .bindRequest(bind)),
                        connection: .anonymousLoopback, cancellation: OperationCancellation(), send: { _ in })
                }
            }
        }
        let entry = try directory.entry(Self.alice)
        #expect(entry.values(of: "pwdFailureTime").count == 12)
        #expect(entry.values(of: "pwdAccountLockedTime").isEmpty)
        for _ in 0..<8 { _ = directory.bind(Self.alice, "bad") }
        #expect(try !directory.entry(Self.alice).values(of: "pwdAccountLockedTime").isEmpty)
        #expect(directory.bind(Self.alice, "Alice-pw1").code == .invalidCredentials)
    }

    @Test("assisted reset: pwdReset, unlock, changeAfterReset restricts the connection until the own change")
    func assistedReset() throws {
        let directory = try Self.directory([
            ("pwdMustChange", ["TRUE"]), ("pwdLockout", ["TRUE"]), ("pwdMaxFailure", ["2"]),
        ])
        // The root DN's replace set pwdReset already (interop-notes); the person changes it.
        var entry = try directory.entry(Self.alice)
        #expect(entry.stringValues(of: "pwdReset") == ["TRUE"] && !entry.values(of: "pwdChangedTime").isEmpty)
        var connection = ConnectionInfo.anonymousLoopback
        var answer = directory.bind(Self.alice, "Alice-pw1", on: connection)
        #expect(answer.code == .success && answer.policy?.error == .changeAfterReset)
        connection.identity = .entry(try DistinguishedName(Self.alice))
        let refused = try directory.search(peopleDN, controls: [PasswordPolicyControl.request()], as: connection)
        #expect(refused.result?.resultCode == .insufficientAccessRights)
        #expect(refused.result.map { String(buffer: $0.diagnosticMessage) } == "Operations are restricted to bind/unbind/abandon/StartTLS/modify password")
        // As slapd: the response control on a refused Modify, Add or Password Modify, not on a Search or Compare.
        #expect(refused.controls.isEmpty)
        let refusedModify = directory.answer(directory.replace(Self.alice, "sn", ["Other"], as: connection, control: true))
        #expect(refusedModify.code == .insufficientAccessRights && refusedModify.policy?.error == .changeAfterReset)
        #expect(directory.replace(Self.alice, "sn", ["Other"], as: connection).log.resultCode == .insufficientAccessRights)
        #expect(directory.exop(ExtendedRequest(name: ByteBuffer(string: WhoAmI.oid)), as: connection).log.resultCode == .success)
        try expectSuccess(directory.replace(Self.alice, "userPassword", ["Alice-own1"], as: connection))
        #expect(try directory.search(peopleDN, as: connection).result?.resultCode == .success)
        entry = try directory.entry(Self.alice)
        #expect(entry.values(of: "pwdReset").isEmpty)
        answer = directory.bind(Self.alice, "Alice-own1")
        #expect(answer.code == .success && answer.policy == PasswordPolicyResponse())

        // Locked out, then a correspondent (bob) resets by Password Modify without the old password.
        for _ in 0..<2 { _ = directory.bind(Self.alice, "bad") }
        #expect(try !directory.entry(Self.alice).values(of: "pwdAccountLockedTime").isEmpty)
        let reset = PasswordModifyRequest(
            userIdentity: ByteBuffer(string: Self.alice), newPassword: ByteBuffer(string: "Corr-reset1")).request
        #expect(directory.exop(reset, as: .entry("bob")).log.resultCode == .success)
        entry = try directory.entry(Self.alice)
        #expect(entry.stringValues(of: "pwdReset") == ["TRUE"])
        #expect(entry.values(of: "pwdAccountLockedTime").isEmpty && entry.values(of: "pwdFailureTime").isEmpty)
        // Password Modify of self lifts the restriction too.
        var second = ConnectionInfo.anonymousLoopback
        #expect(directory.bind(Self.alice, "Corr-reset1", on: second).policy?.error == .changeAfterReset)
        second.identity = .entry(try DistinguishedName(Self.alice))
        #expect(try directory.search(peopleDN, as: second).result?.resultCode == .insufficientAccessRights)
        let own = PasswordModifyRequest(oldPassword: ByteBuffer(string: "Corr-reset1"), newPassword: ByteBuffer(string: "Alice-own2")).request
        #expect(directory.exop(own, as: second).log.resultCode == .success)
        #expect(try directory.search(peopleDN, as: second).result?.resultCode == .success)
        // Root reset also unlocks and sets pwdReset; a root add does not set it.
        try expectSuccess(directory.addPerson("dave", password: "Dave-pw1"))
        #expect(try directory.entry("uid=dave,\(peopleDN)").values(of: "pwdReset").isEmpty)
    }

    @Test("quality: length, classes, identifier and names, pre-hashed under pwdCheckQuality 2; root bypasses")
    func quality() throws {
        let directory = try Self.directory([("pwdCheckQuality", ["2"]), ("pwdMinLength", ["8"]), ("pwdMaxLength", ["30"])])
        let cases: [(String, PasswordPolicyResponse.Error)] = [
            ("Ab1-x", .passwordTooShort), ("alllowercase", .insufficientPasswordQuality),
            ("Xalice-9999", .insufficientPasswordQuality), ("Martin-9999x", .insufficientPasswordQuality),
            ("{SSHA}lHFzXul4wnzRItssVcTnvXWRjNgBAgMEBQYHCA==", .insufficientPasswordQuality),
            (String(repeating: "Ab1-", count: 10), PasswordPolicyResponse.Error(rawValue: 9)),  // passwordTooLong
        ]
        for (password, error) in cases {
            let answer = directory.passwordModify(nil, new: password, old: "Alice-pw1", as: .entry("alice"))
            #expect(answer.code == .constraintViolation, "\(password)")
            #expect(answer.policy?.error == error, "\(password)")
            let plain = directory.passwordModify(nil, new: password, old: "Alice-pw1", as: .entry("alice"), control: false)
            #expect(plain.code == .constraintViolation && plain.controls.isEmpty)
        }
        // By a correspondent too (Modify), but not by the root DN.
        let byBob = directory.replace(Self.alice, "userPassword", ["short"], as: .entry("bob"), control: true)
        #expect(byBob.log.resultCode == .constraintViolation)
        try expectSuccess(directory.replace(Self.alice, "userPassword", ["short"], as: .root))
        #expect(directory.passwordModify(nil, new: "Good-Pass-42", old: "short", as: .entry("alice")).code == .success)
    }

    @Test("history, minimum age, pwdSafeModify, pwdAllowUserChange")
    func changeRules() throws {
        let directory = try Self.directory([
            ("pwdInHistory", ["2"]), ("pwdMinAge", ["3600"]), ("pwdSafeModify", ["TRUE"]),
        ])
        var answer = directory.passwordModify(nil, new: "Second-pw2", old: nil, as: .entry("alice"))
        #expect(answer.code == .insufficientAccessRights && answer.policy?.error == .mustSupplyOldPassword)
        answer = directory.passwordModify(nil, new: "Second-pw2", old: "Alice-pw1", as: .entry("alice"))
        #expect(answer.code == .constraintViolation && answer.policy?.error == .passwordTooYoung)
        directory.clock.advance(seconds: 3601)
        // Modify with delete old (in clear) + add new, as pwdSafeModify wants.
        let change = ModifyRequest(
            object: ByteBuffer(string: Self.alice),
            changes: [
                .init(operation: .delete, modification: PartialAttribute("userPassword", ["Alice-pw1"])),
                .init(operation: .add, modification: PartialAttribute("userPassword", ["Second-pw2"])),
            ])
        try expectSuccess(directory.perform(.modifyRequest(change), as: .entry("alice")).outcome)
        directory.clock.advance(seconds: 3601)
        answer = directory.passwordModify(nil, new: "Alice-pw1", old: "Second-pw2", as: .entry("alice"))
        #expect(answer.code == .constraintViolation && answer.policy?.error == .passwordInHistory)
        answer = directory.passwordModify(nil, new: "Second-pw2", old: "Second-pw2", as: .entry("alice"))
        #expect(answer.policy?.error == .passwordInHistory)
        #expect(directory.passwordModify(nil, new: "Third-pw3", old: "Second-pw2", as: .entry("alice")).code == .success)
        #expect(try directory.entry(Self.alice).values(of: "pwdHistory").count == 2)

        let frozen = try Self.directory([("pwdAllowUserChange", ["FALSE"])])
        answer = frozen.passwordModify(nil, new: "Second-pw2", old: "Alice-pw1", as: .entry("alice"))
        #expect(answer.code == .insufficientAccessRights && answer.policy?.error == .passwordModNotAllowed)
        #expect(frozen.passwordModify(Self.alice, new: "Second-pw2", old: nil, as: .entry("bob")).code == .success)
    }

    @Test("D8: password and mail together refused; resets refused during the quiet period after a mail change")
    func antiFraud() throws {
        let directory = try Self.directory([], quiet: 3600)
        let together = ModifyRequest(
            object: ByteBuffer(string: Self.alice),
            changes: [
                .init(operation: .replace, modification: PartialAttribute("userPassword", ["New-pass-1"])),
                .init(operation: .replace, modification: PartialAttribute("mail", ["evil@example.org"])),
            ])
        for connection in [ConnectionInfo.root, .entry("bob"), .entry("alice")] {
            let outcome = directory.perform(.modifyRequest(together), as: connection).outcome
            #expect(outcome.log.resultCode == .unwillingToPerform)
            #expect(result(of: outcome).map { String(buffer: $0.diagnosticMessage) }
                == "the password and the e-mail address cannot be changed together (anti-fraud rule D8)")
        }
        try expectSuccess(directory.replace(Self.alice, "mail", ["alice@example.org"], as: .entry("bob")))
        #expect(try !directory.entry(Self.alice).values(of: "aspasieMailChangedTime").isEmpty)
        #expect(directory.passwordModify(Self.alice, new: "Reset-pw1", old: nil, as: .entry("bob")).code == .unwillingToPerform)
        // The directory manager repairs accounts: not held by the quiet period (as slapd's rootdn bypasses ppolicy).
        #expect(directory.replace(Self.alice, "userPassword", ["Root-pw-0"], as: .root).log.resultCode == .success)
        // The person may still change it; after the quiet period, the correspondent may reset it.
        #expect(directory.passwordModify(nil, new: "Own-pw-2", old: "Root-pw-0", as: .entry("alice")).code == .success)
        directory.clock.advance(seconds: 3601)
        #expect(directory.passwordModify(Self.alice, new: "Reset-pw1", old: nil, as: .entry("bob")).code == .success)
        // A client may not write the stamp itself.
        #expect(directory.replace(Self.alice, "aspasieMailChangedTime", ["20200101000000Z"], as: .root).log.resultCode == .constraintViolation)
    }

    @Test("pwdPolicySubentry chooses the policy; no default, no policy")
    func subentry() throws {
        let directory = try TestDirectory(passwordStorage: PasswordStorage(scheme: .ssha))
        try expectSuccess(
            directory.add(
                Self.policyDN,
                [("objectClass", ["device", "pwdPolicy"]), ("cn", ["ppolicy"]), ("pwdAttribute", ["userPassword"]),
                 ("pwdMaxFailure", ["1"]), ("pwdLockout", ["TRUE"])], as: .root))
        _ = directory.bind(Self.alice, "bad")
        #expect(try directory.entry(Self.alice).values(of: "pwdAccountLockedTime").isEmpty)
        #expect(directory.replace(Self.alice, "pwdPolicySubentry", [Self.policyDN], as: .entry("bob")).log.resultCode == .constraintViolation)
        try expectSuccess(directory.replace(Self.alice, "pwdPolicySubentry", [Self.policyDN], as: .root))
        _ = directory.bind(Self.alice, "bad")
        #expect(try !directory.entry(Self.alice).values(of: "pwdAccountLockedTime").isEmpty)
    }
}

/// A Bind's result, message and controls, with the policy control decoded.
struct PolicyAnswer {
    var code: ResultCode
    var message: String
    var controls: [LDAPControl]
    var policy: PasswordPolicyResponse?
}

extension TestDirectory {
    func bind(_ dn: String, _ password: String, control: Bool = true, on connection: ConnectionInfo = .anonymousLoopback)
        -> PolicyAnswer
    {
        let request = BindRequest(name: ByteBuffer(string: dn), authentication: .simple(ByteBuffer(string: password)))
        let outcome = perform(
            .bindRequest(request), controls: control ? [PasswordPolicyControl.request()] : [], as: connection).outcome
        return answer(outcome)
    }

    func answer(_ outcome: OperationOutcome) -> PolicyAnswer {
        let controls = outcome.response?.controls ?? []
        let policy = controls.first { $0.oid == PasswordPolicyControl.oid }.flatMap {
            try? PasswordPolicyResponse(controlValue: $0.value)
        }
        let result = result(of: outcome)
        return PolicyAnswer(
            code: outcome.log.resultCode, message: result.map { String(buffer: $0.diagnosticMessage) } ?? "",
            controls: controls, policy: policy)
    }

    func replace(_ dn: String, _ type: String, _ values: [String], as connection: ConnectionInfo, control: Bool = false)
        -> OperationOutcome
    {
        let change = ModifyRequest(
            object: ByteBuffer(string: dn),
            changes: [.init(operation: .replace, modification: PartialAttribute(type, values))])
        return perform(.modifyRequest(change), controls: control ? [PasswordPolicyControl.request()] : [], as: connection).outcome
    }

    func exop(_ request: ExtendedRequest, as connection: ConnectionInfo) -> OperationOutcome {
        perform(.extendedRequest(request), as: connection).outcome
    }

    func passwordModify(_ target: String?, new: String, old: String?, as connection: ConnectionInfo, control: Bool = true)
        -> PolicyAnswer
    {
        let request = PasswordModifyRequest(
            userIdentity: target.map { ByteBuffer(string: $0) }, oldPassword: old.map { ByteBuffer(string: $0) },
            newPassword: ByteBuffer(string: new)).request
        return answer(perform(.extendedRequest(request), controls: control ? [PasswordPolicyControl.request()] : [], as: connection).outcome)
    }

    func entry(_ dn: String) throws -> Entry {
        guard let entry = try store.entry(dn: try DistinguishedName(dn)) else { throw TestFailure("no entry \(dn)") }
        return entry
    }
}

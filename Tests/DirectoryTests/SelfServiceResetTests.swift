import Directory
import Foundation
import LDAPProtocol
import NIOCore
import PasswordHashing
import Schema
import Storage
import Testing

/// The codes a test directory "sends": recorded instead of going to a gateway (the gateway has its own tests and
/// the integration test uses a real HTTP server).
final class RecordingDelivery: ResetCodeDelivery, @unchecked Sendable {
    private let lock = NSLock()
    private var notices: [ResetCodeNotice] = []

    func deliver(_ notice: ResetCodeNotice) { lock.withLock { notices.append(notice) } }

    var all: [ResetCodeNotice] { lock.withLock { notices } }
}

/// Self-service password reset by SMS code (docs/password-reset.md): codes, attempts, expiry with the manual
/// clock, rate limits, identical answers, the policy checks and D8. Real LMDB stores.
@Suite("Self-service reset")
struct SelfServiceResetTests {
    static let policyDN = "cn=ppolicy,dc=example,dc=com"
    static let portalDN = "uid=portal,\(peopleDN)"
    static let person = "uid=jdupont-xt,\(peopleDN)"

    struct Fixture {
        let directory: TestDirectory
        let delivery: RecordingDelivery
        var portal: ConnectionInfo

        /// request-code as the portal (or `connection`); the outcome and the ExtendedResponse.
        func requestCode(_ identifier: String, from address: String? = nil, as connection: ConnectionInfo? = nil)
            -> (code: ResultCode, response: ExtendedResponse?)
        {
            let request = PasswordResetCodeRequest(
                identifier: ByteBuffer(string: identifier), clientAddress: address.map { ByteBuffer(string: $0) })
            let outcome = directory.exop(request.request, as: connection ?? portal)
            guard case .extendedResponse(let response) = outcome.response?.protocolOp else {
                return (outcome.log.resultCode, nil)
            }
            return (outcome.log.resultCode, response)
        }

        /// reset as the portal (or `connection`).
        func reset(
            _ identifier: String, code: String, password: String, control: Bool = false,
            as connection: ConnectionInfo? = nil
        ) -> PolicyAnswer {
            let request = PasswordResetRequest(
                identifier: ByteBuffer(string: identifier), code: ByteBuffer(string: code),
                newPassword: ByteBuffer(string: password))
            return directory.answer(
                directory.perform(
                    .extendedRequest(request.request), controls: control ? [PasswordPolicyControl.request()] : [],
                    as: connection ?? portal
                ).outcome)
        }

        /// The last code sent.
        var lastCode: String? { delivery.all.last?.code }
    }

    static func fixture(
        policy: [(String, [String])] = [("pwdCheckQuality", ["1"]), ("pwdMinLength", ["10"]), ("pwdInHistory", ["3"])],
        perIdentifier: RateLimit = RateLimit(count: 0, windowSeconds: 3600),
        perAddress: RateLimit = RateLimit(count: 0, windowSeconds: 3600),
        codeLength: Int = 6
    ) throws -> Fixture {
        let delivery = RecordingDelivery()
        let settings = SelfServiceResetSettings(
            serviceAccounts: [try DistinguishedName(portalDN)], codeLength: codeLength, perIdentifier: perIdentifier,
            perAddress: perAddress, delivery: delivery)
        let directory = try TestDirectory(
            passwordStorage: PasswordStorage(scheme: .ssha),
            passwordPolicy: PasswordPolicySettings(defaultPolicyDN: try DistinguishedName(policyDN)),
            selfServiceReset: settings)
        try expectSuccess(
            directory.add(
                policyDN,
                [("objectClass", ["device", "pwdPolicy"]), ("cn", ["ppolicy"]), ("pwdAttribute", ["userPassword"])]
                    + policy, as: .root))
        try expectSuccess(directory.addPerson("portal", password: "Portal-pw-1"))
        for (uid, mobile) in [
            ("jdupont-xt", "06 12 34 56 78"), ("sansmobile-xt", nil), ("agent.interne", "0611223344"),
        ] {
            var attributes = [
                ("objectClass", ["inetOrgPerson"]), ("uid", [uid]), ("cn", ["Jean Dupont"]), ("sn", ["Dupont"]),
                ("userPassword", ["Ancien-Passe-1"]), ("mail", ["\(uid)@mairie-exemple.fr"]),
            ]
            if let mobile { attributes.append(("mobile", [mobile])) }
            try expectSuccess(directory.add("uid=\(uid),\(peopleDN)", attributes, as: .root))
        }
        var portal = ConnectionInfo.anonymousLoopback
        portal.identity = .entry(try DistinguishedName(portalDN))
        return Fixture(directory: directory, delivery: delivery, portal: portal)
    }

    @Test("codes: the configured length, digits only, uniform enough, clamped to 6–8")
    func codeGeneration() {
        for length in 6...8 {
            let codes = (0..<500).map { _ in ResetCodeBook.generateCode(length: length) }
            #expect(codes.allSatisfy { $0.count == length && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
            #expect(Set(codes).count > 490)  // 500 draws among ≥ 10⁶: collisions are rare
            // Every digit shows up in every position over 500 draws (a biased generator would miss some).
            for position in 0..<length {
                let digits = Set(codes.map { Array($0)[position] })
                #expect(digits.count == 10)
            }
        }
        #expect(ResetCodeBook.generateCode(length: 3).count == 6)
        #expect(ResetCodeBook.generateCode(length: 12).count == 8)
    }

    @Test("code book: right code accepted, wrong ones use attempts, the last kills it, expiry")
    func codeBook() {
        let book = ResetCodeBook()
        let now: Int64 = 1_000_000_000_000
        book.issue("123456", for: "alice", now: now, validitySeconds: 600, attempts: 3)
        #expect(book.check(Array("123456".utf8), for: "bob", now: now) == .refused)
        #expect(book.check(Array("123456".utf8), for: "alice", now: now) == .accepted)
        #expect(book.check(Array("000000".utf8), for: "alice", now: now) == .refused)
        #expect(book.check(Array("000000".utf8), for: "alice", now: now) == .refused)
        #expect(book.check(Array("123456".utf8), for: "alice", now: now) == .accepted)
        #expect(book.check(Array("000000".utf8), for: "alice", now: now) == .refused)
        #expect(book.check(Array("123456".utf8), for: "alice", now: now) == .refused)  // three wrong: dead
        #expect(!book.hasCode(for: "alice", now: now))
        book.issue("654321", for: "alice", now: now, validitySeconds: 600, attempts: 3)
        #expect(book.check(Array("654321".utf8), for: "alice", now: now + 599_999_999) == .accepted)
        #expect(book.check(Array("654321".utf8), for: "alice", now: now + 600_000_000) == .refused)
        #expect(!book.hasCode(for: "alice", now: now))
        // A new code replaces the old one; invalidate forgets it.
        book.issue("111111", for: "alice", now: now, validitySeconds: 600, attempts: 3)
        book.issue("222222", for: "alice", now: now, validitySeconds: 600, attempts: 3)
        #expect(book.check(Array("111111".utf8), for: "alice", now: now) == .refused)
        #expect(book.check(Array("222222".utf8), for: "alice", now: now) == .accepted)
        book.invalidate("alice")
        #expect(book.check(Array("222222".utf8), for: "alice", now: now) == .refused)
    }

    @Test("rate limiter: count per window, a new window after it, 0 is no limit, bounded keys")
    func rateLimiter() {
        let limiter = ResetRateLimiter(maximumKeys: 2)
        let limit = RateLimit(count: 2, windowSeconds: 60)
        let now: Int64 = 5_000_000_000
        #expect(limiter.allow("a", limit, now: now))
        #expect(limiter.allow("a", limit, now: now + 1))
        #expect(!limiter.allow("a", limit, now: now + 2))
        #expect(limiter.allow("b", limit, now: now))
        #expect(!limiter.allow("c", limit, now: now))  // table full: fail closed
        #expect(limiter.allow("a", limit, now: now + 60_000_000))
        #expect((0..<100).allSatisfy { _ in limiter.allow("z", RateLimit(count: 0, windowSeconds: 60), now: now) })
    }

    @Test("request-code: a code to an -xt person's mobile; identical answers for everyone else, nothing sent")
    func requestCodeAnswersAlike() throws {
        let fixture = try Self.fixture()
        let sent = fixture.requestCode("jdupont-xt")
        #expect(sent.code == .success)
        #expect(try PasswordResetCodeResponse(responseValue: sent.response?.value).validitySeconds == 600)
        let notice = try #require(fixture.delivery.all.first)
        #expect(notice.mobile == "06 12 34 56 78" && notice.code.count == 6 && notice.dn == Self.person)
        #expect(!notice.description.contains(notice.code))
        for identifier in [
            "inconnu-xt", "sansmobile-xt", "agent.interne", "", String(repeating: "x", count: 400) + "-xt",
        ] {
            let other = fixture.requestCode(identifier)
            #expect(other.code == sent.code)
            #expect(other.response == sent.response, "answer for '\(identifier)' differs")
        }
        #expect(fixture.delivery.all.count == 1)
        // Case does not matter (uid is case-insensitive).
        #expect(fixture.requestCode("JDUPONT-XT").code == .success && fixture.delivery.all.count == 2)
    }

    @Test("reset: right code sets the password, clears pwdReset and the lock, records the change, kills the code")
    func resetWithCode() throws {
        let fixture = try Self.fixture(policy: [
            ("pwdLockout", ["TRUE"]), ("pwdMaxFailure", ["2"]), ("pwdMustChange", ["TRUE"]), ("pwdInHistory", ["2"]),
        ])
        let directory = fixture.directory
        for _ in 0..<2 { _ = directory.bind(Self.person, "wrong") }
        #expect(try !directory.entry(Self.person).values(of: "pwdAccountLockedTime").isEmpty)
        _ = fixture.requestCode("jdupont-xt")
        let code = try #require(fixture.lastCode)
        directory.clock.advance(seconds: 30)
        let answer = fixture.reset("jdupont-xt", code: code, password: "Nouveau-Passe-42")
        #expect(answer.code == .success)
        let entry = try directory.entry(Self.person)
        #expect(entry.values(of: "pwdAccountLockedTime").isEmpty && entry.values(of: "pwdFailureTime").isEmpty)
        #expect(entry.values(of: "pwdReset").isEmpty)
        #expect(!entry.values(of: "pwdChangedTime").isEmpty && entry.values(of: "pwdHistory").count == 1)
        #expect(entry.stringValues(of: "userPassword").allSatisfy { $0.hasPrefix("{SSHA}") })
        #expect(entry.stringValues(of: "modifiersName") == [Self.portalDN])
        #expect(entry.stringValues(of: "mail") == ["jdupont-xt@mairie-exemple.fr"])
        // Bind works with the new password, no changeAfterReset (the person chose it).
        let bound = directory.bind(Self.person, "Nouveau-Passe-42")
        #expect(bound.code == .success && bound.policy == PasswordPolicyResponse())
        #expect(directory.bind(Self.person, "Ancien-Passe-1").code == .invalidCredentials)
        // The code is used up.
        #expect(fixture.reset("jdupont-xt", code: code, password: "Autre-Passe-43").code == .invalidCredentials)
    }

    @Test("reset: three wrong codes kill it; unknown identifiers and expired codes get the same refusal")
    func wrongCodesAndExpiry() throws {
        let fixture = try Self.fixture()
        _ = fixture.requestCode("jdupont-xt")
        let code = try #require(fixture.lastCode)
        let wrong = code == "000000" ? "000001" : "000000"
        var refusals: [PolicyAnswer] = []
        for _ in 0..<3 { refusals.append(fixture.reset("jdupont-xt", code: wrong, password: "Nouveau-Passe-42")) }
        refusals.append(fixture.reset("jdupont-xt", code: code, password: "Nouveau-Passe-42"))
        refusals.append(fixture.reset("inconnu-xt", code: code, password: "Nouveau-Passe-42"))
        refusals.append(fixture.reset("sansmobile-xt", code: code, password: "Nouveau-Passe-42"))
        for refusal in refusals {
            #expect(refusal.code == .invalidCredentials && refusal.message == "the code is invalid or has expired")
        }
        // Expiry: valid at 599 s, gone at 600 s.
        _ = fixture.requestCode("jdupont-xt")
        let second = try #require(fixture.lastCode)
        fixture.directory.clock.advance(seconds: 600)
        #expect(fixture.reset("jdupont-xt", code: second, password: "Nouveau-Passe-42").code == .invalidCredentials)
        _ = fixture.requestCode("jdupont-xt")
        let third = try #require(fixture.lastCode)
        fixture.directory.clock.advance(seconds: 599)
        #expect(fixture.reset("jdupont-xt", code: third, password: "Nouveau-Passe-42").code == .success)
    }

    @Test("reset: quality and history refusals are constraintViolation with the control; the code survives them")
    func policyRefusals() throws {
        let fixture = try Self.fixture()
        _ = fixture.requestCode("jdupont-xt")
        let code = try #require(fixture.lastCode)
        let short = fixture.reset("jdupont-xt", code: code, password: "Court-1", control: true)
        #expect(short.code == .constraintViolation && short.policy?.error == .passwordTooShort)
        let weak = fixture.reset("jdupont-xt", code: code, password: "toutenminuscules", control: true)
        #expect(weak.code == .constraintViolation && weak.policy?.error == .insufficientPasswordQuality)
        let reused = fixture.reset("jdupont-xt", code: code, password: "Ancien-Passe-1", control: true)
        #expect(reused.code == .constraintViolation && reused.policy?.error == .passwordInHistory)
        let plain = fixture.reset("jdupont-xt", code: code, password: "Court-1")
        #expect(plain.code == .constraintViolation && plain.controls.isEmpty)
        #expect(fixture.reset("jdupont-xt", code: code, password: "Nouveau-Passe-42").code == .success)
    }

    @Test("only the service account: anyone else, anonymous included, gets insufficientAccessRights")
    func serviceAccountOnly() throws {
        let fixture = try Self.fixture()
        for connection in [ConnectionInfo.anonymousLoopback, .entry("alice"), .root] {
            #expect(fixture.requestCode("jdupont-xt", as: connection).code == .insufficientAccessRights)
            #expect(
                fixture.reset("jdupont-xt", code: "123456", password: "Nouveau-Passe-42", as: connection).code
                    == .insufficientAccessRights)
        }
        #expect(fixture.delivery.all.isEmpty)
    }

    @Test("D8: after a mail change no code is sent and a pending code is refused like a wrong one; mail never changes")
    func quietPeriod() throws {
        let fixture = try Self.fixture()
        _ = fixture.requestCode("jdupont-xt")
        let code = try #require(fixture.lastCode)
        try expectSuccess(fixture.directory.replace(Self.person, "mail", ["nouvelle@mairie-exemple.fr"], as: .root))
        let answer = fixture.reset("jdupont-xt", code: code, password: "Nouveau-Passe-42")
        #expect(answer.code == .invalidCredentials && answer.message == "the code is invalid or has expired")
        #expect(fixture.requestCode("jdupont-xt").code == .success)
        #expect(fixture.delivery.all.count == 1)
        // After the quiet period (24 h by default) the reset works again.
        fixture.directory.clock.advance(seconds: 86_401)
        #expect(fixture.requestCode("jdupont-xt").code == .success)
        let later = try #require(fixture.lastCode)
        #expect(fixture.reset("jdupont-xt", code: later, password: "Nouveau-Passe-42").code == .success)
        #expect(try fixture.directory.entry(Self.person).stringValues(of: "mail") == ["nouvelle@mairie-exemple.fr"])
    }

    @Test("rate limits per identifier and per client address: unwillingToPerform, then a new window")
    func rateLimits() throws {
        let fixture = try Self.fixture(
            perIdentifier: RateLimit(count: 2, windowSeconds: 3600), perAddress: RateLimit(count: 4, windowSeconds: 600)
        )
        #expect(fixture.requestCode("jdupont-xt", from: "203.0.113.7").code == .success)
        #expect(fixture.requestCode("inconnu-xt", from: "203.0.113.7").code == .success)
        #expect(fixture.requestCode("jdupont-xt", from: "203.0.113.8").code == .success)
        // The identifier's third request in the hour, whether or not it exists.
        #expect(fixture.requestCode("jdupont-xt", from: "203.0.113.9").code == .unwillingToPerform)
        #expect(fixture.requestCode("inconnu-xt", from: "203.0.113.9").code == .success)
        #expect(fixture.requestCode("inconnu-xt", from: "203.0.113.9").code == .unwillingToPerform)
        // The address: 4 per 10 minutes, resets included.
        for _ in 0..<2 {
            #expect(fixture.reset("jdupont-xt", code: "999999", password: "x").code == .invalidCredentials)
        }
        for index in 0..<2 { _ = fixture.requestCode("autre\(index)-xt") }
        #expect(fixture.reset("jdupont-xt", code: "999999", password: "x").code == .unwillingToPerform)
        #expect(fixture.requestCode("encore-xt").code == .unwillingToPerform)
        fixture.directory.clock.advance(seconds: 3601)
        #expect(fixture.requestCode("jdupont-xt").code == .success)
        #expect(fixture.delivery.all.count == 3)
    }

    @Test("root DSE lists the two operations when configured; without configuration they are unknown")
    func advertisedOnlyWhenConfigured() throws {
        let fixture = try Self.fixture()
        let listed = try fixture.directory.search("", scope: .baseObject, attributes: ["supportedExtension"])
        let values = listed.entries.first?.values("supportedExtension") ?? []
        #expect(values.contains(PasswordResetCodeRequest.oid) && values.contains(PasswordResetRequest.oid))
        let plain = try TestDirectory()
        let off = try plain.search("", scope: .baseObject, attributes: ["supportedExtension"])
        let advertised = off.entries.first?.values("supportedExtension") ?? []
        #expect(!advertised.contains(PasswordResetRequest.oid))
        let request = PasswordResetCodeRequest(identifier: ByteBuffer(string: "jdupont-xt")).request
        #expect(plain.exop(request, as: .root).log.resultCode == .protocolError)
        // A malformed value is a protocolError, not a crash.
        let malformed = ExtendedRequest(
            name: ByteBuffer(string: PasswordResetRequest.oid), value: ByteBuffer(bytes: [0x30, 0x03, 0x04]))
        #expect(fixture.directory.exop(malformed, as: fixture.portal).log.resultCode == .protocolError)
        let missing = ExtendedRequest(name: ByteBuffer(string: PasswordResetCodeRequest.oid))
        #expect(fixture.directory.exop(missing, as: fixture.portal).log.resultCode == .protocolError)
    }

    @Test("the audit trail records the reset and the refusals, never the code or the password")
    func audit() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try AuditLog(destination: .file(path))
        let delivery = RecordingDelivery()
        let settings = SelfServiceResetSettings(
            serviceAccounts: [try DistinguishedName(Self.portalDN)], delivery: delivery)
        let directory = try TestDirectory(passwordStorage: PasswordStorage(scheme: .ssha), selfServiceReset: settings)
        var configuration = directory.service.configuration
        configuration.auditLog = log
        let service = DirectoryService(store: directory.store, configuration: configuration)
        try expectSuccess(
            directory.add(
                Self.person,
                [
                    ("objectClass", ["inetOrgPerson"]), ("uid", ["jdupont-xt"]), ("cn", ["J"]), ("sn", ["D"]),
                    ("mobile", ["+33 6 12 34 56 78"]),
                ], as: .root))
        var portal = ConnectionInfo.anonymousLoopback
        portal.identity = .entry(try DistinguishedName(Self.portalDN))
        func run(_ request: ExtendedRequest) -> ResultCode {
            service.perform(
                LDAPMessage(messageID: 7, protocolOp: .extendedRequest(request)), connection: portal,
                cancellation: OperationCancellation(), send: { _ in }
            ).log.resultCode
        }
        #expect(run(PasswordResetCodeRequest(identifier: ByteBuffer(string: "jdupont-xt")).request) == .success)
        let code = try #require(delivery.all.last?.code)
        let bad = PasswordResetRequest(
            identifier: ByteBuffer(string: "inconnu-xt"), code: ByteBuffer(string: code),
            newPassword: ByteBuffer(string: "Secret-Tres-Long-1"))
        #expect(run(bad.request) == .invalidCredentials)
        let good = PasswordResetRequest(
            identifier: ByteBuffer(string: "jdupont-xt"), code: ByteBuffer(string: code),
            newPassword: ByteBuffer(string: "Secret-Tres-Long-1"))
        #expect(run(good.request) == .success)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(
            lines.first?.contains("\"dn\":\"inconnu-xt\"") == true && lines.first?.contains("\"result\":49") == true)
        #expect(
            lines.last?.contains("\"op\":\"passwordReset\"") == true && lines.last?.contains("\"result\":0") == true)
        #expect(!text.contains(code) && !text.contains("Secret-Tres-Long-1"))
    }
}

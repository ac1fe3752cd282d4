import LDAPProtocol
import PasswordHashing
import Schema
import Storage

/// A password change the policy refuses: the result, and the control's error when the request asked for it.
struct PolicyRefusal: Error {
    var error: OperationError
    var policyError: PasswordPolicyResponse.Error?

    init(_ code: ResultCode, _ message: String, _ policyError: PasswordPolicyResponse.Error? = nil) {
        self.error = OperationError(code, message)
        self.policyError = policyError
    }
}

extension PasswordPolicyResponse.Error {
    /// pwdMaxLength exceeded: the error slapd 2.5 sends (after the draft's nine; python-ldap knows it).
    static let passwordTooLong = Self(rawValue: 9)
}

/// How a password arrives, for the checks that depend on it.
enum PasswordChangeKind {
    /// Add of a new entry.
    case add
    /// Modify or Password Modify of an existing entry; `oldSupplied`: the old password came with it (and was
    /// verified).
    case change(oldSupplied: Bool)
    /// The self-service reset by SMS code (docs/password-reset.md): the person proved who they are with the
    /// code; checked like a reset (quality, history, D8 quiet period), recorded like their own change (pwdReset
    /// removed).
    case selfServiceReset

    /// Whether this is ``selfServiceReset``.
    var isSelfServiceReset: Bool {
        if case .selfServiceReset = self { return true }
        return false
    }

    /// Whether an existing password is replaced (history and the D8 quiet period apply).
    var replacesExisting: Bool {
        if case .add = self { return false }
        return true
    }
}

extension DirectoryService {
    /// The refusal of an operation changing `userPassword` and `mail` together (domain.md D8).
    static let passwordWithMail = PolicyRefusal(
        .unwillingToPerform, "the password and the e-mail address cannot be changed together (anti-fraud rule D8)")

    /// The outcome of `kind` refused by the policy, with the control when asked for.
    func policyFailure(_ kind: OperationKind, _ request: Request, dn: String, _ refusal: PolicyRefusal) -> OperationOutcome {
        let controls = refusal.policyError == nil ? [] : policyControls(request, error: refusal.policyError)
        return OperationOutcome(
            response: response(kind, request, refusal.error.result, controls: controls),
            log: AccessLogFields(operation: kind.rawValue, dn: dn, resultCode: refusal.error.resultCode))
    }

    /// Whether `identity` is the entry `dn` itself.
    func isSelf(_ identity: BoundIdentity, _ dn: DistinguishedName) -> Bool {
        if case .entry(let own) = identity { return comparator.same(own, dn) }
        return false
    }

    /// Whether `description` names `mail` (or a subtype).
    func isMailAttribute(_ description: AttributeDescription) -> Bool {
        guard let mail = context.attributeType(named: "mail"), let type = context.attributeType(named: description.type)
        else { return false }
        return type.isSubtype(of: mail.id)
    }

    /// The checks of a new password for `entry` (as stored; for an Add, as it will be) set by `identity`, and the
    /// operational changes that go with it. `newPasswords`: the values as sent (not yet hashed); empty for a
    /// generated one (not checked) or a removal.
    ///
    /// D8 first (independent of any policy): a change by anyone but the person or the root DN within
    /// ``PasswordPolicySettings/mailChangeQuietPeriod`` of a `mail` change is refused (the directory manager is
    /// the operator who repairs accounts, and bypasses the policy as slapd's rootdn does). Then, under a policy,
    /// for everyone but the root DN (who bypasses them, as slapd's rootdn): the person's own change needs
    /// pwdAllowUserChange (passwordModNotAllowed), the old password under pwdSafeModify
    /// (mustSupplyOldPassword), pwdMinAge since the last change unless after a reset (passwordTooYoung); every
    /// non-root change needs quality with pwdCheckQuality ≥ 1 (pwdMinLength: passwordTooShort; pwdMaxLength:
    /// passwordTooLong; a hash under pwdCheckQuality 2, ``PasswordQuality``: insufficientPasswordQuality) and
    /// not to be among the current value and the pwdInHistory last ones (passwordInHistory).
    ///
    /// Changes returned: pwdChangedTime now; pwdHistory with the replaced values; failures, locks (permanent and
    /// temporary) and grace logins cleared; pwdReset removed for the person's own change, TRUE (with pwdMustChange) for a reset by
    /// anyone else — root DN included, but not a root Add (interop-notes).
    func passwordChange(
        of entry: Entry, newPasswords: [[UInt8]], by identity: BoundIdentity, kind: PasswordChangeKind
    ) throws(PolicyRefusal) -> [Modification] {
        let now = configuration.clock.microsecondsSince1970()
        let byRoot = isRoot(identity)
        let bySelf = isSelf(identity, entry.dn)
        let settings = configuration.passwordPolicy
        if kind.replacesExisting, !bySelf, !byRoot, settings.mailChangeQuietPeriod > 0,
            let mailChanged = PolicyTime.values(PolicyAttribute.mailChangedTime, in: entry).first,
            now - mailChanged < min(settings.mailChangeQuietPeriod, Int64(Int32.max)) * 1_000_000
        {
            throw PolicyRefusal(
                .unwillingToPerform,
                "the password cannot be reset so soon after a change of the e-mail address (anti-fraud rule D8)")
        }
        guard let policy = passwordPolicy(for: entry) else { return [] }
        let isReset = entry.stringValues(of: PolicyAttribute.reset).first?.uppercased() == "TRUE"
        if !byRoot {
            if bySelf, case .change(let oldSupplied) = kind {
                guard policy.allowUserChange else {
                    throw PolicyRefusal(
                        .insufficientAccessRights, "User alteration of password is not allowed", .passwordModNotAllowed)
                }
                if policy.safeModify && !oldSupplied {
                    throw PolicyRefusal(
                        .insufficientAccessRights, "Must supply old password to be changed as well as new one",
                        .mustSupplyOldPassword)
                }
                if policy.minAge > 0, !isReset,
                    let changed = PolicyTime.values(PolicyAttribute.changedTime, in: entry).first,
                    now - changed < policy.minAge * 1_000_000
                {
                    throw PolicyRefusal(.constraintViolation, "Password is too young to change", .passwordTooYoung)
                }
            }
            for password in newPasswords {
                try checkQuality(password, of: entry, policy)
            }
            if policy.inHistory > 0, kind.replacesExisting {
                let current = entry.attributes.filter { isPasswordAttribute($0.description) }.flatMap(\.values)
                let previous = entry.values(of: PolicyAttribute.history).compactMap(Self.historyValue)
                for password in newPasswords {
                    // slapd's two messages, one error: the current value, then an older one.
                    if current.contains(where: { verifier.verify(password, against: $0) }) {
                        throw PolicyRefusal(
                            .constraintViolation, "Password is not being changed from existing value",
                            .passwordInHistory)
                    }
                    if previous.contains(where: { verifier.verify(password, against: $0) }) {
                        throw PolicyRefusal(
                            .constraintViolation, "Password is in history of old passwords", .passwordInHistory)
                    }
                }
            }
        }
        var changes = [
            Modification(.replace, PolicyAttribute.changedTime, [PolicyTime.text(now)]),
            Modification(.replace, PolicyAttribute.failureTime, []),
            Modification(.replace, PolicyAttribute.accountLockedTime, []),
            Modification(.replace, PolicyAttribute.temporaryLockoutEnd, []),
            Modification(.replace, PolicyAttribute.graceUseTime, []),
        ]
        switch kind {
        case .add:
            if !byRoot && policy.mustChange { changes.append(Modification(.replace, PolicyAttribute.reset, ["TRUE"])) }
        case .change, .selfServiceReset:
            if bySelf || !policy.mustChange || kind.isSelfServiceReset {
                changes.append(Modification(.replace, PolicyAttribute.reset, []))
            } else {
                changes.append(Modification(.replace, PolicyAttribute.reset, ["TRUE"]))
            }
            if policy.inHistory > 0 {
                let current = entry.attributes.filter { isPasswordAttribute($0.description) }.flatMap(\.values)
                let stamp = GeneralizedTimeFormatter.seconds(now)
                let added = current.map { value in
                    "\(stamp)#1.3.6.1.4.1.1466.115.121.1.40#\(value.count)#" + String(decoding: value, as: UTF8.self)
                }
                let history = Array((entry.stringValues(of: PolicyAttribute.history) + added).suffix(Int(policy.inHistory)))
                changes.append(Modification(.replace, PolicyAttribute.history, history))
            }
        }
        return changes
    }

    /// The stored password of a pwdHistory value (`time#syntax#length#value`, slapd's form); `nil` when
    /// malformed.
    static func historyValue(_ value: [UInt8]) -> [UInt8]? {
        var separators = 0
        for (index, byte) in value.enumerated() where byte == UInt8(ascii: "#") {
            separators += 1
            if separators == 3 { return Array(value[(index + 1)...]) }
        }
        return nil
    }

    /// The quality rules of `policy` (pwdCheckQuality ≥ 1) and ``PasswordQuality`` for `password`.
    private func checkQuality(_ password: [UInt8], of entry: Entry, _ policy: PasswordPolicy) throws(PolicyRefusal) {
        guard policy.checkQuality >= 1 else { return }
        let failed = "Password fails quality checking policy"
        if PasswordHashing.PasswordHasher.isPrehashed(password) {
            // A hash cannot be checked: refused with pwdCheckQuality 2, accepted with 1 (slapd).
            if policy.checkQuality >= 2 { throw PolicyRefusal(.constraintViolation, failed, .insufficientPasswordQuality) }
            return
        }
        let text = String(decoding: password, as: UTF8.self)
        let length = Int64(text.count)
        if policy.minLength > 0 && length < policy.minLength {
            throw PolicyRefusal(.constraintViolation, "\(failed): too short", .passwordTooShort)
        }
        if policy.maxLength > 0 && length > policy.maxLength {
            throw PolicyRefusal(.constraintViolation, "\(failed): too long", .passwordTooLong)
        }
        let quality = configuration.passwordPolicy.quality
        var classes = Set<Int>()
        for character in text {
            if character.isLowercase { classes.insert(0) }
            else if character.isUppercase { classes.insert(1) }
            else if character.isNumber { classes.insert(2) }
            else { classes.insert(3) }
        }
        if classes.count < quality.minimumCharacterClasses {
            throw PolicyRefusal(
                .constraintViolation,
                "\(failed): mix at least \(quality.minimumCharacterClasses) of lower case, upper case, digits, others",
                .insufficientPasswordQuality)
        }
        let lowered = text.lowercased()
        for (names, what) in [(quality.identifierAttributes, "the identifier"), (quality.nameAttributes, "a name")] {
            for name in names {
                for value in entry.stringValues(of: name) where value.count >= max(quality.minimumContainedLength, 1) {
                    if lowered.contains(value.lowercased()) {
                        throw PolicyRefusal(
                            .constraintViolation, "\(failed): contains \(what) of the entry", .insufficientPasswordQuality)
                    }
                }
            }
        }
    }

    /// The modification recording a change of `mail` (D8's quiet period starts there).
    func mailChangedStamp() -> Modification {
        Modification(
            .replace, PolicyAttribute.mailChangedTime,
            [PolicyTime.text(configuration.clock.microsecondsSince1970())])
    }
}

extension DirectoryService {
    /// Whether `description` is `pwdPolicySubentry` sent by the root DN: NO-USER-MODIFICATION in the draft,
    /// but slapd lets administrators assign a policy to an entry, and so does the root DN here.
    func mayAssignPolicy(_ description: AttributeDescription, _ identity: BoundIdentity) -> Bool {
        guard isRoot(identity), let type = context.attributeType(named: description.type) else { return false }
        return type.names.contains { $0.lowercased() == "pwdpolicysubentry" }
    }

    /// A Modify's password changes checked against the policy and D8: `changes` with each deleted userPassword
    /// value given in clear replaced by the stored value it verifies against (so the person can name the old
    /// password, as pwdSafeModify wants: delete old, add new), and the operational changes to add.
    /// unwillingToPerform when `mail` changes too (D8).
    func checkedPasswordModify(
        _ changes: [Modification], of entry: Entry, by identity: BoundIdentity
    ) throws(PolicyRefusal) -> (changes: [Modification], policyChanges: [Modification]) {
        if changes.contains(where: { isMailAttribute($0.attribute.description) }) { throw Self.passwordWithMail }
        let stored = entry.attributes.filter { isPasswordAttribute($0.description) }.flatMap(\.values)
        var rewritten = changes
        var oldVerified = false
        var newPasswords: [[UInt8]] = []
        for index in rewritten.indices where isPasswordAttribute(rewritten[index].attribute.description) {
            switch rewritten[index].operation {
            case .delete:
                rewritten[index].attribute.values = rewritten[index].attribute.values.map { value in
                    if stored.contains(value) { return value }
                    guard let match = stored.first(where: { verifier.verify(value, against: $0) }) else { return value }
                    oldVerified = true
                    return match
                }
            case .add, .replace:
                newPasswords += rewritten[index].attribute.values
            default:
                continue
            }
        }
        guard !newPasswords.isEmpty else { return (rewritten, []) }
        let policyChanges = try passwordChange(
            of: entry, newPasswords: newPasswords, by: identity, kind: .change(oldSupplied: oldVerified))
        return (rewritten, policyChanges)
    }
}

import LDAPProtocol
import Logging
import Schema
import Storage

extension DirectoryService {
    /// The policy in force for `entry`: its `pwdPolicySubentry` when that names a `pwdPolicy` entry, else
    /// the configured default (``PasswordPolicySettings/defaultPolicyDN``), else none. Read from the store at
    /// each use (one LMDB read, microseconds, against the milliseconds of an Argon2 verification): no cache to
    /// invalidate when a policy entry changes.
    func passwordPolicy(for entry: Entry) -> PasswordPolicy? {
        var candidates: [DistinguishedName] = []
        if let text = entry.stringValues(of: PolicyAttribute.subentry).first, let dn = try? DistinguishedName(text) {
            candidates.append(dn)
        }
        if let dn = configuration.passwordPolicy.defaultPolicyDN { candidates.append(dn) }
        for dn in candidates {
            guard let found = try? store.entry(dn: dn), let policy = PasswordPolicy(entry: found) else {
                logger.warning("password policy '\(dn)' of '\(entry.dn)' is not a pwdPolicy entry; ignored")
                continue
            }
            return policy
        }
        return nil
    }

    /// Whether the request carries the password policy request control.
    func wantsPolicyControl(_ request: Request) -> Bool {
        request.message.controls.contains { $0.oid == PasswordPolicyControl.oid }
    }

    /// The response controls for `request`: the policy control with `warning` and `error` when asked for.
    func policyControls(
        _ request: Request, warning: PasswordPolicyResponse.Warning? = nil, error: PasswordPolicyResponse.Error? = nil
    ) -> [LDAPControl] {
        wantsPolicyControl(request) ? [PasswordPolicyResponse(warning: warning, error: error).control()] : []
    }

    /// Whether the connection may learn that an account is locked (domain.md D8): bound, before this Bind, as
    /// the root DN or as one of ``PasswordPolicySettings/trustedClients``.
    func isTrustedPolicyClient(_ connection: ConnectionInfo) -> Bool {
        switch connection.identity {
        case .rootDN: return true
        case .anonymous: return false
        case .entry(let dn):
            return configuration.passwordPolicy.trustedClients.contains { comparator.same($0, dn) }
        }
    }

    /// A failed Bind: invalidCredentials with the one message, whatever the reason (D8), and the control (when
    /// asked for) carrying `error` only when that error may be told.
    func refusedBind(_ request: Request, dn: String, error: PasswordPolicyResponse.Error? = nil) -> OperationOutcome {
        let failure = Self.invalidCredentials
        return OperationOutcome(
            response: response(.bind, request, failure.result, controls: policyControls(request, error: error)),
            newIdentity: .anonymous,
            log: AccessLogFields(operation: "BIND", dn: dn, resultCode: failure.resultCode))
    }

    /// Whether `entry` is locked now: pwdAccountLockedTime set and, with a pwdLockoutDuration, not yet over
    /// (0: until a reset).
    func isLocked(_ entry: Entry, _ policy: PasswordPolicy, now: Int64) -> Bool {
        guard let locked = PolicyTime.values(PolicyAttribute.accountLockedTime, in: entry).first else { return false }
        return policy.lockoutDuration == 0 || now < locked + policy.lockoutDuration * 1_000_000
    }

    /// Whether `entry` is inside the temporary lockout that follows a failed bind under pwdMinDelay
    /// (pwdAccountTmpLockoutEnd in the future).
    func isTemporarilyLocked(_ entry: Entry, now: Int64) -> Bool {
        guard let end = PolicyTime.values(PolicyAttribute.temporaryLockoutEnd, in: entry).first else { return false }
        return now < end
    }

    /// A Bind of `entry` under `policy` (draft-behera-10 §8.1, as slapd's ppolicy): `matched` is the stored
    /// value the password verified against (`nil`: wrong password). The password has been verified already, so
    /// a locked account costs the same work as any other (D8).
    ///
    /// - locked, or inside a pwdMinDelay temporary lockout: invalidCredentials; the control says accountLocked
    ///   to trusted clients only; nothing recorded (slapd 2.5 delays by locking, not by holding the answer, so
    ///   no thread or event loop waits).
    /// - wrong password: a pwdFailureTime appended in one write transaction (LMDB serialises concurrent failures
    ///   of the reader pool, so the count is exact), locking the account at pwdMaxFailure with pwdLockout, and
    ///   temporarily (``PasswordPolicy/delay(afterFailures:)``) under pwdMinDelay.
    /// - expired (pwdMaxAge since pwdChangedTime): a grace login while pwdGraceAuthNLimit allows it
    ///   (graceAuthNsRemaining, pwdGraceUseTime appended), else invalidCredentials with passwordExpired.
    /// - inside pwdExpireWarning of expiry: timeBeforeExpiration.
    /// - pwdReset with pwdMustChange: success with changeAfterReset, and the connection restricted.
    /// A success clears failures and an expired lock (one write, only when there is something to clear).
    func policyBind(
        _ entry: Entry, _ policy: PasswordPolicy, matched: [UInt8]?, password: [UInt8], _ request: Request,
        nameText: String
    ) -> (outcome: OperationOutcome?, warning: PasswordPolicyResponse.Warning?, mustChange: Bool) {
        let now = configuration.clock.microsecondsSince1970()
        if isLocked(entry, policy, now: now) || isTemporarilyLocked(entry, now: now) {
            let trusted = isTrustedPolicyClient(request.connection)
            return (refusedBind(request, dn: nameText, error: trusted ? .accountLocked : nil), nil, false)
        }
        guard matched != nil else {
            recordFailure(entry.dn, policy, now: now)
            return (refusedBind(request, dn: nameText), nil, false)
        }
        var warning: PasswordPolicyResponse.Warning?
        var usesGrace = false
        if policy.maxAge > 0, let changed = PolicyTime.values(PolicyAttribute.changedTime, in: entry).first {
            let maxAge = policy.maxAge * 1_000_000
            let age = now - changed
            if age >= maxAge {
                let used = Int64(entry.values(of: PolicyAttribute.graceUseTime).count)
                let inGracePeriod = policy.graceExpiry == 0 || age < maxAge + policy.graceExpiry * 1_000_000
                guard policy.graceAuthNLimit > used, inGracePeriod else {
                    return (refusedBind(request, dn: nameText, error: .passwordExpired), nil, false)
                }
                usesGrace = true
                warning = .graceAuthenticationsRemaining(Int32(clamping: policy.graceAuthNLimit - used - 1))
            } else if policy.expireWarning > 0, maxAge - age <= policy.expireWarning * 1_000_000 {
                warning = .timeBeforeExpiration(Int32(clamping: (maxAge - age) / 1_000_000))
            }
        }
        let mustChange = policy.mustChange && entry.stringValues(of: PolicyAttribute.reset).first?.uppercased() == "TRUE"
        recordSuccess(entry, usesGrace: usesGrace, now: now)
        return (nil, warning, mustChange)
    }

    /// Appends a failure time to `dn` (after dropping those before an expired lock), keeps the last
    /// ``PasswordPolicy/recordedFailures`` of them, and locks when pwdMaxFailure of them fall inside
    /// pwdFailureCountInterval (all of them without one) with pwdLockout — all inside one write transaction,
    /// recomputed from the entry as stored there. Each time is made distinct (a microsecond after the latest),
    /// so that concurrent failures never collapse into one value.
    func recordFailure(_ dn: DistinguishedName, _ policy: PasswordPolicy, now: Int64) {
        guard policy.recordsFailures else { return }
        do {
            try store.modify(dn: dn, validation: .serverWrite) { current in
                // Temporarily locked meanwhile (a concurrent failure): nothing more to count.
                if isTemporarilyLocked(current, now: now) { return }
                var failures = PolicyTime.values(PolicyAttribute.failureTime, in: current).sorted()
                if let locked = PolicyTime.values(PolicyAttribute.accountLockedTime, in: current).first {
                    guard policy.lockoutDuration > 0, now >= locked + policy.lockoutDuration * 1_000_000 else {
                        return  // locked meanwhile: nothing more to count
                    }
                    current.setPolicyValues(PolicyAttribute.accountLockedTime, [])
                    failures.removeAll { $0 <= locked }
                }
                let stamp = max(now, (failures.last ?? now - 1) + 1)
                failures.append(stamp)
                if failures.count > policy.recordedFailures {
                    failures.removeFirst(failures.count - policy.recordedFailures)
                }
                current.setPolicyValues(PolicyAttribute.failureTime, failures.map(PolicyTime.text))
                // Failures older than pwdFailureCountInterval stay stored (as slapd keeps them, up to the
                // recorded maximum) but no longer count.
                var counted = failures.count
                if policy.failureCountInterval > 0 {
                    let since = now - policy.failureCountInterval * 1_000_000
                    counted = failures.count(where: { $0 > since })
                }
                if policy.lockout, policy.maxFailure > 0, counted >= Int(policy.maxFailure) {
                    current.setPolicyValues(PolicyAttribute.accountLockedTime, [PolicyTime.text(now)])
                }
                let delay = policy.delay(afterFailures: counted)
                current.setPolicyValues(
                    PolicyAttribute.temporaryLockoutEnd, delay > 0 ? [PolicyTime.text(now + delay * 1_000_000)] : [])
            }
        } catch {
            logger.warning("password failure of '\(dn)' not recorded: \(error.message)")
        }
    }

    /// After a successful Bind: clears failures, an expired lock and an ended temporary lockout, appends a grace use, refreshes
    /// pwdLastSuccess when configured — one write, skipped when there is nothing to write.
    func recordSuccess(_ entry: Entry, usesGrace: Bool, now: Int64) {
        var refreshLastSuccess = false
        if let precision = configuration.passwordPolicy.lastSuccessPrecision {
            let last = PolicyTime.values(PolicyAttribute.lastSuccess, in: entry).first
            refreshLastSuccess = last.map { now - $0 >= min(max(precision, 0), Int64(Int32.max)) * 1_000_000 } ?? true
        }
        let hasFailures = !entry.values(of: PolicyAttribute.failureTime).isEmpty
            || !entry.values(of: PolicyAttribute.accountLockedTime).isEmpty
            || !entry.values(of: PolicyAttribute.temporaryLockoutEnd).isEmpty
        guard usesGrace || refreshLastSuccess || hasFailures else { return }
        do {
            try store.modify(dn: entry.dn, validation: .serverWrite) { current in
                current.setPolicyValues(PolicyAttribute.failureTime, [])
                current.setPolicyValues(PolicyAttribute.accountLockedTime, [])
                current.setPolicyValues(PolicyAttribute.temporaryLockoutEnd, [])
                if usesGrace {
                    var uses = PolicyTime.values(PolicyAttribute.graceUseTime, in: current).sorted()
                    uses.append(max(now, (uses.last ?? now - 1) + 1))
                    current.setPolicyValues(PolicyAttribute.graceUseTime, uses.map(PolicyTime.text))
                }
                if refreshLastSuccess {
                    current.setPolicyValues(PolicyAttribute.lastSuccess, [PolicyTime.text(now)])
                }
            }
        } catch {
            logger.warning("password policy state of '\(entry.dn)' not updated after bind: \(error.message)")
        }
    }
}

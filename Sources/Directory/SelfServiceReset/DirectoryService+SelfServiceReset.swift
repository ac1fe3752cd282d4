import LDAPProtocol
import Logging
import NIOCore
import Schema
import Storage

/// The state of the self-service reset shared by every request: issued codes and the two rate limiters.
package final class SelfServiceResetState: Sendable {
    /// Codes issued and not yet used.
    package let codes = ResetCodeBook()
    /// Code requests per identifier.
    package let identifierLimiter = ResetRateLimiter()
    /// Code requests and reset attempts per client address.
    package let addressLimiter = ResetRateLimiter()

    /// Empty state.
    package init() {}
}

extension DirectoryService {
    /// The one answer to a reset that cannot go ahead, whatever the reason (unknown identifier, no code, wrong or
    /// expired code, attempts exhausted, D8 quiet period): the requester learns nothing else (domain.md D8).
    static let resetRefusedMessage = "the code is invalid or has expired"
    /// The answer when a rate limit is reached (docs/password-reset.md: unwillingToPerform rather than busy, so
    /// that clients do not retry at once).
    static let resetRateLimitedMessage = "too many password reset requests: try again later"

    /// Step 1, request-code (docs/password-reset.md): for an `-xt` person (domain.md D1) with a `mobile`, issues a
    /// code and hands it to the delivery; the answer is the same success, with the same value, whether or not the
    /// identifier exists, has a mobile, or a code was sent. Only the configured service accounts may call it.
    func requestResetCode(
        _ extended: ExtendedRequest, _ request: Request, _ settings: SelfServiceResetSettings
    ) throws(OperationError) -> OperationOutcome {
        try requireResetServiceAccount(request, settings)
        let parsed: PasswordResetCodeRequest
        do {
            parsed = try PasswordResetCodeRequest(requestValue: extended.value)
        } catch {
            throw OperationError(.protocolError, "the reset code request is malformed")
        }
        let identifier = String(buffer: parsed.identifier)
        let shown = Self.loggable(identifier)
        let address = clientAddress(parsed.clientAddress, request)
        let now = configuration.clock.microsecondsSince1970()
        let state = selfServiceResetState
        guard state.addressLimiter.allow(address, settings.perAddress, now: now),
            // At most 256 characters of it: longer ones name nobody, and a key must not hold a client's megabytes.
            state.identifierLimiter.allow(String(identifier.lowercased().prefix(256)), settings.perIdentifier, now: now)
        else {
            logger.notice("password reset: code request for '\(shown)' from \(address) refused: rate limit")
            throw OperationError(.unwillingToPerform, Self.resetRateLimitedMessage)
        }
        let code = ResetCodeBook.generateCode(length: settings.codeLength)
        switch try resetCandidate(identifier) {
        case .eligible(let entry, let mobile):
            if let quiet = quietPeriodRefusal(entry, now: now) {
                logger.notice("password reset: no code sent for '\(entry.dn)': \(quiet)")
            } else {
                let person = resetKey(entry.dn)
                state.codes.issue(
                    code, for: person, now: now, validitySeconds: settings.codeValidity,
                    attempts: settings.maximumAttempts)
                settings.delivery.deliver(
                    ResetCodeNotice(
                        mobile: mobile, code: code, validitySeconds: Int(settings.codeValidity),
                        dn: entry.dn.description))
                logger.info("password reset: code issued for '\(entry.dn)' (request from \(address))")
            }
        case .ineligible(let reason):
            // The same HMAC and book update as for a person, under a key no DN can have: less for timing to tell.
            state.codes.issue(
                code, for: "\u{0}decoy", now: now, validitySeconds: settings.codeValidity, attempts: 1)
            logger.notice("password reset: no code sent for '\(shown)' (from \(address)): \(reason)")
        }
        let response = PasswordResetCodeResponse(validitySeconds: Int(settings.codeValidity)).response()
        return OperationOutcome(
            response: LDAPMessage(messageID: request.message.messageID, protocolOp: .extendedResponse(response)),
            log: AccessLogFields(
                operation: "EXT", dn: PasswordResetCodeRequest.oid, details: "reset-code", resultCode: .success))
    }

    /// Step 2, reset (docs/password-reset.md): checks the code (a wrong one uses an attempt), the D8 quiet
    /// period, then the password policy's quality and history as for a change; sets the password hashed with the
    /// configured scheme, records pwdChangedTime/pwdHistory, removes pwdReset, the lock and the failures, and
    /// invalidates the code, in one write with its audit line. Every refusal before the policy checks is the
    /// same invalidCredentials; the policy's are constraintViolation with the control when asked for.
    func resetPasswordWithCode(
        _ extended: ExtendedRequest, _ request: Request, _ settings: SelfServiceResetSettings
    ) -> OperationOutcome {
        let oid = PasswordResetRequest.oid
        do throws(OperationError) {
            try requireResetServiceAccount(request, settings)
            let parsed: PasswordResetRequest
            do {
                parsed = try PasswordResetRequest(requestValue: extended.value)
            } catch {
                throw OperationError(.protocolError, "the password reset request is malformed")
            }
            let identifier = String(buffer: parsed.identifier)
            let shown = Self.loggable(identifier)
            let address = clientAddress(parsed.clientAddress, request)
            let now = configuration.clock.microsecondsSince1970()
            let state = selfServiceResetState
            guard state.addressLimiter.allow(address, settings.perAddress, now: now) else {
                logger.notice("password reset: reset of '\(shown)' from \(address) refused: rate limit")
                throw OperationError(.unwillingToPerform, Self.resetRateLimitedMessage)
            }
            let refused = OperationError(.invalidCredentials, Self.resetRefusedMessage)
            let candidate = try resetCandidate(identifier)
            // Every refusal from here on gets an audit line, for unknown identifiers too: the line's write (and
            // fsync) then costs the same whether or not the person exists.
            var target = shown
            if case .eligible(let entry, _) = candidate { target = entry.dn.description }
            let trail = auditTrail(.passwordReset, request, target: target, attributes: ["userPassword"])
            guard case .eligible(let entry, _) = candidate else {
                // The same HMAC work as for a real person, so the delay does not tell either.
                _ = state.codes.check(Array(buffer: parsed.code), for: "\u{0}unknown", now: now)
                if case .ineligible(let reason) = candidate {
                    logger.notice("password reset: reset of '\(shown)' from \(address) refused: \(reason)")
                }
                return audited(failure(.extended, request, dn: oid, refused), trail)
            }
            let person = resetKey(entry.dn)
            guard state.codes.check(Array(buffer: parsed.code), for: person, now: now) == .accepted else {
                logger.notice("password reset: reset of '\(entry.dn)' from \(address) refused: wrong or expired code")
                return audited(failure(.extended, request, dn: oid, refused), trail)
            }
            if let quiet = quietPeriodRefusal(entry, now: now) {
                state.codes.invalidate(person)
                logger.warning("password reset: reset of '\(entry.dn)' from \(address) refused: \(quiet)")
                return audited(failure(.extended, request, dn: oid, refused), trail)
            }
            let newPassword = Array(buffer: parsed.newPassword)
            let identity = request.connection.identity
            var changes: [Modification]
            do throws(PolicyRefusal) {
                changes = try passwordChange(
                    of: entry, newPasswords: [newPassword], by: identity, kind: .selfServiceReset)
            } catch {
                logger.info("password reset: new password of '\(entry.dn)' refused by the policy")
                return audited(policyFailure(.extended, request, dn: oid, error), trail)
            }
            // Without a policy the lock and the reset flag still go: a reset always leaves a usable account.
            for name in [PolicyAttribute.reset, PolicyAttribute.accountLockedTime, PolicyAttribute.failureTime]
            where !changes.contains(where: { $0.attribute.description == AttributeDescription(name) }) {
                changes.append(Modification(.replace, name, []))
            }
            do throws(OperationError) {
                let hashed = try PasswordHasher.stored(
                    newPassword, storage: configuration.passwordStorage, mayStorePrehashed: false)
                changes.insert(
                    Modification(
                        .replace, EntryAttribute(description: AttributeDescription("userPassword"), values: [hashed])),
                    at: 0)
                changes += stamp(by: identity).modifications
                try storeCall(auditing: trail) { () throws(StoreError) in
                    try store.modify(
                        dn: entry.dn, changes: changes, validation: .serverWrite, beforeCommit: trail.beforeCommit)
                }
            } catch {
                return audited(failure(.extended, request, dn: oid, error), trail)
            }
            state.codes.invalidate(person)
            logger.notice("password reset: password of '\(entry.dn)' reset by SMS code (request from \(address))")
            return OperationOutcome(
                response: LDAPMessage(
                    messageID: request.message.messageID,
                    protocolOp: .extendedResponse(ExtendedResponse(result: LDAPResult(.success)))),
                log: AccessLogFields(operation: "EXT", dn: oid, details: "reset \(entry.dn)", resultCode: .success))
        } catch {
            return failure(.extended, request, dn: oid, error)
        }
    }

    /// Who a reset identifier names.
    enum ResetCandidate {
        /// An `-xt` person with a mobile number.
        case eligible(Entry, mobile: String)
        /// No such person, or one that cannot reset by SMS; the reason goes to the log only.
        case ineligible(String)
    }

    /// The person `identifier` names for a self-service reset: it must end in `-xt` (domain.md D1, D6), name
    /// exactly one entry by `uid` (which `aspasieIdentifier` is a subtype of) and that entry must have a
    /// `mobile`.
    func resetCandidate(_ identifier: String) throws(OperationError) -> ResetCandidate {
        let bytes = Array(identifier.utf8)
        guard !bytes.isEmpty, bytes.count <= BindIdentifierMapping.maximumLength,
            !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F })
        else { return .ineligible("not an identifier") }
        guard identifier.lowercased().hasSuffix("-xt") else {
            return .ineligible("not an external (-xt) identifier")
        }
        var found: [Entry] = []
        let filter = Filter.equalityMatch(AttributeValueAssertion("uid", identifier))
        for base in store.namingContexts {
            do {
                let result = try store.search(base: base, scope: .wholeSubtree, filter: filter, sizeLimit: 2)
                found += result.entries.map(\.1)
            } catch {
                // A naming context not created yet holds nobody; a value the index cannot key names nobody.
                guard error.resultCode == .other else { continue }
                throw OperationError(error)
            }
        }
        guard found.count == 1, let entry = found.first else {
            return .ineligible(found.isEmpty ? "unknown identifier" : "ambiguous identifier")
        }
        guard let mobile = entry.stringValues(of: "mobile").first(where: { !$0.isEmpty }) else {
            return .ineligible("'\(entry.dn)' has no mobile number")
        }
        return .eligible(entry, mobile: mobile)
    }

    /// Why `entry` may not be reset now under D8 (its `mail` changed within the quiet period); `nil` when it may.
    func quietPeriodRefusal(_ entry: Entry, now: Int64) -> String? {
        let period = configuration.passwordPolicy.mailChangeQuietPeriod
        guard period > 0, let changed = PolicyTime.values(PolicyAttribute.mailChangedTime, in: entry).first,
            now - changed < min(period, Int64(Int32.max)) * 1_000_000
        else { return nil }
        return "the e-mail address changed less than \(period) s ago (anti-fraud rule D8)"
    }

    /// insufficientAccessRights unless the connection is bound as one of the configured service accounts.
    private func requireResetServiceAccount(
        _ request: Request, _ settings: SelfServiceResetSettings
    ) throws(OperationError) {
        guard let bound = request.connection.identity.dn,
            settings.serviceAccounts.contains(where: { comparator.same($0, bound) })
        else {
            throw OperationError(
                .insufficientAccessRights, "the password reset operations are reserved to the portal's service account")
        }
    }

    /// The address the rate limits count: the one the portal forwards (the person's), else the connection's
    /// peer without its port.
    private func clientAddress(_ forwarded: ByteBuffer?, _ request: Request) -> String {
        if let forwarded, forwarded.readableBytes > 0, forwarded.readableBytes <= 64 {
            return String(buffer: forwarded).lowercased()
        }
        let peer = request.connection.peer
        if peer.hasPrefix("["), let end = peer.firstIndex(of: "]") {
            return String(peer[peer.index(after: peer.startIndex)..<end])
        }
        if let colon = peer.lastIndex(of: ":"), peer.firstIndex(of: ":") == colon { return String(peer[..<colon]) }
        return peer
    }

    /// `identifier` as a log line may show it: at most 64 characters, controls escaped (it comes from anyone
    /// on the portal's form).
    static func loggable(_ identifier: String) -> String {
        var shown = ""
        for scalar in identifier.unicodeScalars.prefix(64) {
            shown +=
                scalar.properties.generalCategory == .control
                ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return identifier.unicodeScalars.count > 64 ? shown + "…" : shown
    }

    /// The key of a person's code: the normalised DN.
    private func resetKey(_ dn: DistinguishedName) -> String {
        comparator.key(dn).map { String(decoding: $0, as: UTF8.self) } ?? dn.normalized().description
    }
}

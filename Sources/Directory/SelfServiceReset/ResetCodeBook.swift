import Crypto
import NIOConcurrencyHelpers

/// The security codes issued and not yet used (self-service reset): per person, only an HMAC of the code, its
/// expiry and the wrong attempts left. Kept in memory: a code lives minutes, and a restart simply invalidates
/// the codes in flight (the person asks for a new one). The HMAC key is random per process, so even a memory
/// dump does not give codes away by hashing the 10⁶–10⁸ candidates.
///
/// Thread-safe (a lock); times are microseconds since 1970 from the directory's injected clock.
package final class ResetCodeBook: Sendable {
    private struct Issued {
        var digest: [UInt8]
        var expires: Int64
        var attemptsLeft: Int
    }

    private struct State {
        var codes: [String: Issued] = [:]
        var lastPrune: Int64 = 0
    }

    /// What a check found.
    package enum Check: Equatable, Sendable {
        /// The code is right and still valid (it stays issued until ``ResetCodeBook/invalidate(_:)``).
        case accepted
        /// No code, an expired one, or a wrong one (which used up an attempt, and the code when none is left).
        case refused
    }

    private let key = SymmetricKey(size: .bits256)
    private let state = NIOLockedValueBox(State())

    /// An empty book.
    package init() {}

    /// A code of `length` digits (6…8), uniform over all of them, from the system's CSPRNG.
    package static func generateCode(length: Int) -> String {
        let digits = min(max(length, 6), 8)
        var bound: UInt64 = 1
        for _ in 0..<digits { bound *= 10 }
        var generator = SystemRandomNumberGenerator()
        let value = UInt64.random(in: 0..<bound, using: &generator)
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// Records `code` for `person` (a normalised DN), replacing any earlier one.
    package func issue(_ code: String, for person: String, now: Int64, validitySeconds: Int64, attempts: Int) {
        let digest = self.digest(code, person)
        state.withLockedValue { state in
            prune(&state, now: now)
            state.codes[person] = Issued(
                digest: digest, expires: now + validitySeconds * 1_000_000, attemptsLeft: max(attempts, 1))
        }
    }

    /// Checks `code` for `person`: constant-time comparison of the HMACs; a wrong code uses an attempt and the
    /// last one invalidates the code; an expired code is removed. The HMAC is computed even when there is no
    /// code, so the work does not tell.
    package func check(_ code: [UInt8], for person: String, now: Int64) -> Check {
        let offered = digest(String(decoding: code, as: UTF8.self), person)
        return state.withLockedValue { state in
            guard var issued = state.codes[person] else { return .refused }
            guard now < issued.expires else {
                state.codes[person] = nil
                return .refused
            }
            if Self.constantTimeEqual(offered, issued.digest) { return .accepted }
            issued.attemptsLeft -= 1
            state.codes[person] = issued.attemptsLeft > 0 ? issued : nil
            return .refused
        }
    }

    /// Forgets `person`'s code (used, or refused for D8).
    package func invalidate(_ person: String) {
        state.withLockedValue { state in state.codes[person] = nil }
    }

    /// Whether `person` has a code (tests, logs).
    package func hasCode(for person: String, now: Int64) -> Bool {
        state.withLockedValue { state in state.codes[person].map { now < $0.expires } ?? false }
    }

    private func digest(_ code: String, _ person: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array((person + "\u{0}" + code).utf8), using: key))
    }

    /// Drops expired codes, at most once a minute.
    private func prune(_ state: inout State, now: Int64) {
        guard now - state.lastPrune > 60_000_000 else { return }
        state.lastPrune = now
        state.codes = state.codes.filter { $0.value.expires > now }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

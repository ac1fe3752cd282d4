import LDAPProtocol
import NIOCore
import Schema
import Storage

/// Finds the people whose password expires within the largest threshold, from the ordering index on
/// pwdChangedTime rather than a scan of every entry.
///
/// A password under a policy with pwdMaxAge M expires at pwdChangedTime + M; it is due for a notice at threshold
/// T when that moment lies in (now, now + T], i.e. pwdChangedTime in (now − M, now − M + T]. For each policy
/// entry with M > 0 the window of the largest T is asked as `(&(pwdChangedTime>=…)(pwdChangedTime<=…))`, which
/// the store answers with one bounded scan of `ord:pwdChangedTime`; then each candidate's own policy (as the
/// server resolves it: pwdPolicySubentry, else the default) decides. No pwdChangedTime or no pwdMaxAge: never
/// expires. Already expired: not warned (the sign-in then says so).
package struct ExpiryNoticeFinder: Sendable {
    package let store: DirectoryStore
    package let thresholdDays: [Int]
    package let defaultPolicyDN: DistinguishedName?

    /// Makes a finder.
    package init(store: DirectoryStore, thresholdDays: [Int], defaultPolicyDN: DistinguishedName?) {
        self.store = store
        self.thresholdDays = thresholdDays.sorted()
        self.defaultPolicyDN = defaultPolicyDN
    }

    /// What was found: the due notices, and how many candidates the index gave (the work done).
    package struct Result: Sendable {
        package var notices: [DueNotice]
        package var candidatesExamined: Int
        /// Why the window could not be read from the index (no `ord` index on pwdChangedTime, an index being
        /// rebuilt): then every entry of the scope was read. Empty when the index served.
        package var unindexed: [String] = []
    }

    private static let dayMicroseconds: Int64 = 86_400 * 1_000_000

    /// The notices due at `now` (microseconds since 1970), in DN order.
    package func find(now: Int64) throws(ExpiryNoticeError) -> Result {
        guard let largest = thresholdDays.last, largest > 0 else { return Result(notices: [], candidatesExamined: 0) }
        let policies = try readPolicies()
        let horizon = Int64(largest) * Self.dayMicroseconds
        var windows: [Filter] = []
        for maxAge in Set(policies.values.map(\.maxAge)) where maxAge > 0 {
            let start = now - maxAge * 1_000_000
            // A second of margin on each side: the filter is second-precise, the check below is exact.
            windows.append(
                .and([
                    .greaterOrEqual(Self.assertion(PolicyTime.text(start - 1_000_000))),
                    .lessOrEqual(Self.assertion(PolicyTime.text(start + horizon + 1_000_000))),
                ]))
        }
        guard !windows.isEmpty else { return Result(notices: [], candidatesExamined: 0) }
        let filter: Filter = windows.count == 1 ? windows[0] : .or(windows)

        var notices: [DueNotice] = []
        var examined = 0
        var unindexed: [String] = []
        var seen: Set<String> = []
        for base in store.namingContexts {
            let found: SearchResult
            do {
                found = try store.search(base: base, scope: .wholeSubtree, filter: filter)
            } catch {
                if error.resultCode == .noSuchObject { continue }
                throw .directory(error.message)
            }
            examined += found.explanation.entriesExamined
            unindexed += found.explanation.unindexed
            if !found.explanation.indexesConsulted { unindexed.append("the indexes are being rebuilt") }
            for (_, entry) in found.entries {
                guard seen.insert(entry.dn.description.lowercased()).inserted,
                    let notice = notice(for: entry, policies: policies, now: now, horizon: horizon)
                else { continue }
                notices.append(notice)
            }
        }
        notices.sort { $0.dn.description < $1.dn.description }
        return Result(notices: notices, candidatesExamined: examined, unindexed: unindexed)
    }

    /// The notice owed for `entry`, if any.
    private func notice(
        for entry: Entry, policies: [String: PasswordPolicy], now: Int64, horizon: Int64
    ) -> DueNotice? {
        guard let policy = effectivePolicy(entry, policies), policy.maxAge > 0,
            let changed = PolicyTime.values(PolicyAttribute.changedTime, in: entry).first
        else { return nil }
        let expiry = changed + policy.maxAge * 1_000_000
        let left = expiry - now
        guard left > 0, left <= horizon else { return nil }
        guard let threshold = thresholdDays.first(where: { Int64($0) * Self.dayMicroseconds >= left }) else {
            return nil
        }
        // Whole days, rounded down ("dans 14 jours" for 14 and a half): never more than the truth.
        let daysLeft = Int(left / Self.dayMicroseconds)
        func first(_ name: String) -> String? { entry.stringValues(of: name).first }
        let givenName = first("givenName") ?? ""
        let surname = first("sn") ?? ""
        return DueNotice(
            dn: entry.dn,
            entryKey: first("entryUUID")?.lowercased() ?? entry.dn.description.lowercased(),
            mail: first("mail"),
            givenName: givenName,
            surname: surname,
            commonName: first("cn") ?? [givenName, surname].filter { !$0.isEmpty }.joined(separator: " "),
            identifier: first("aspasieIdentifier") ?? first("uid") ?? "",
            changedTime: changed,
            expiryTime: expiry,
            thresholdDays: threshold,
            daysLeft: max(daysLeft, 1))
    }

    /// As ``DirectoryService/passwordPolicy(for:)``: pwdPolicySubentry when it names a pwdPolicy entry, else the
    /// default, else none.
    private func effectivePolicy(_ entry: Entry, _ policies: [String: PasswordPolicy]) -> PasswordPolicy? {
        if let text = entry.stringValues(of: PolicyAttribute.subentry).first,
            let dn = try? DistinguishedName(text), let policy = policies[Self.key(dn)]
        {
            return policy
        }
        return defaultPolicyDN.flatMap { policies[Self.key($0)] }
    }

    /// Every pwdPolicy entry, by normalised DN (a handful: one search on the objectClass index).
    private func readPolicies() throws(ExpiryNoticeError) -> [String: PasswordPolicy] {
        var policies: [String: PasswordPolicy] = [:]
        let filter = Filter.equalityMatch(Self.assertion("pwdPolicy", attribute: "objectClass"))
        for base in store.namingContexts {
            do {
                for (_, entry) in try store.search(base: base, scope: .wholeSubtree, filter: filter).entries {
                    if let policy = PasswordPolicy(entry: entry) { policies[Self.key(entry.dn)] = policy }
                }
            } catch {
                if error.resultCode == .noSuchObject { continue }
                throw .directory(error.message)
            }
        }
        if let defaultPolicyDN, policies[Self.key(defaultPolicyDN)] == nil,
            let entry = try? store.entry(dn: defaultPolicyDN), let policy = PasswordPolicy(entry: entry)
        {
            policies[Self.key(defaultPolicyDN)] = policy
        }
        return policies
    }

    private static func key(_ dn: DistinguishedName) -> String {
        dn.normalized().description
    }

    private static func assertion(_ value: String, attribute: String = PolicyAttribute.changedTime)
        -> AttributeValueAssertion
    {
        AttributeValueAssertion(
            attributeDescription: ByteBuffer(string: attribute), assertionValue: ByteBuffer(string: value))
    }
}

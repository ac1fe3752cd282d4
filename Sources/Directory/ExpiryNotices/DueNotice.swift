import LDAPProtocol
import Schema

/// One person whose password expires within a threshold, with what the notice needs.
package struct DueNotice: Equatable, Sendable {
    package var dn: DistinguishedName
    /// What the ledger knows the entry by: its entryUUID (stable across renames), else its DN.
    package var entryKey: String
    /// The first `mail` value; `nil`: the person cannot be warned.
    package var mail: String?
    package var givenName: String
    package var surname: String
    package var commonName: String
    package var identifier: String
    /// pwdChangedTime, microseconds since 1970.
    package var changedTime: Int64
    /// When the password expires (pwdChangedTime + pwdMaxAge), microseconds since 1970.
    package var expiryTime: Int64
    /// The smallest threshold (days) the time left is within: the notice this run owes.
    package var thresholdDays: Int
    /// Whole days left, rounded down; 1 when less than a day is left.
    package var daysLeft: Int

    /// The ledger key of this notice.
    package var ledgerKey: [UInt8] {
        ExpiryNoticeLedger.key(entry: entryKey, changedTime: changedTime, thresholdDays: thresholdDays)
    }
}

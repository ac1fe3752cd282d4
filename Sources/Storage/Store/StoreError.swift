import LDAPProtocol
import Schema

/// Why a store operation failed: the LDAP result code the operation answers with, the matched DN (for
/// noSuchObject: the deepest existing ancestor of the name asked for, as stored) and a diagnostic message.
///
/// Whatever failed, the operation's write transaction was aborted: nothing of it is stored.
package struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The LDAP result code (noSuchObject, entryAlreadyExists, notAllowedOnNonLeaf, a schema violation's
    /// code…; `other` for a storage failure).
    package var resultCode: ResultCode
    /// For noSuchObject, the deepest existing superior of the DN (possibly the root DN, empty).
    package var matchedDN: DistinguishedName?
    /// The diagnostic message.
    package var message: String

    /// Makes an error.
    package init(_ resultCode: ResultCode, _ message: String, matchedDN: DistinguishedName? = nil) {
        self.resultCode = resultCode
        self.message = message
        self.matchedDN = matchedDN
    }

    /// A schema violation found by ``SchemaContext/validate(_:options:)``, with its code and message.
    package init(_ violation: EntryViolation) {
        self.init(violation.resultCode, violation.message)
    }

    /// A failure of the LMDB layer (the file, the map), as `other`.
    package init(_ error: LMDBError) {
        self.init(.other, "storage failure: \(error)")
    }

    /// A stored entry that cannot be read (damaged file, later release), as `other`.
    package init(_ error: EntryDecodingError, id: EntryID) {
        self.init(.other, "entry \(id) cannot be read: \(error)")
    }

    /// `resultCode: message`, and the matched DN when there is one.
    package var description: String {
        var text = "\(resultCode): \(message)"
        if let matchedDN { text += " (matched DN '\(matchedDN)')" }
        return text
    }

    /// Turns any error thrown inside a transaction into a `StoreError`.
    static func wrap(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: return error
        case let error as LMDBError: return StoreError(error)
        case let error as EntryViolation: return StoreError(error)
        default: return StoreError(.other, "\(error)")
        }
    }
}

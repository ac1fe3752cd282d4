import LDAPProtocol

/// The request controls the directory implements, with the operations each applies to.
enum SupportedControls {
    /// ManageDsaIT (RFC 3296): accepted; there are no referral objects to manage.
    static let manageDsaIT = "2.16.840.1.113730.3.4.2"

    /// The OIDs published in the root DSE's `supportedControl`.
    static let oids = [
        AssertionControl.oid, ReadEntryControl.Kind.preRead.rawValue, ReadEntryControl.Kind.postRead.rawValue,
        PagedResultsControl.oid, manageDsaIT, PasswordPolicyControl.oid,
    ]

    /// Whether the control `oid` means something on `operation`. RFC 4528 §3 (assertion: every operation with
    /// a target entry), RFC 4527 §3 (pre-read: delete, modify, modDN; post-read: add, modify, modDN),
    /// RFC 2696 (paged results: search).
    static func applies(_ oid: String, to operation: OperationKind) -> Bool {
        switch oid {
        case AssertionControl.oid:
            return [.add, .compare, .delete, .modify, .modifyDN, .search].contains(operation)
        case ReadEntryControl.Kind.preRead.rawValue:
            return [.delete, .modify, .modifyDN].contains(operation)
        case ReadEntryControl.Kind.postRead.rawValue:
            return [.add, .modify, .modifyDN].contains(operation)
        case PagedResultsControl.oid:
            return operation == .search
        case manageDsaIT, PasswordPolicyControl.oid:
            return true
        default:
            return false
        }
    }
}

import LDAPProtocol
import Schema

/// The root DSE (RFC 4512 §5.1): what the server supports, published at the empty DN.
struct RootDSE: Sendable {
    /// The extended operations the server answers (StartTLS by the server itself).
    static let supportedExtensions = [StartTLS.oid, WhoAmI.oid, PasswordModifyRequest.oid]

    /// RFC 4512/3673 all operational attributes (`+`), RFC 4529 `@class` requests, RFC 4526 absolute true
    /// and false filters, RFC 4525 Modify-Increment.
    static let supportedFeatures = [
        "1.3.6.1.1.14", "1.3.6.1.4.1.4203.1.5.1", "1.3.6.1.4.1.4203.1.5.2", "1.3.6.1.4.1.4203.1.5.3",
    ]

    let fixed: FixedEntry

    /// The self-service reset's two operations (docs/password-reset.md), when configured.
    static func resetExtensions(_ configuration: DirectoryConfiguration) -> [String] {
        configuration.selfServiceReset == nil ? [] : [PasswordResetCodeRequest.oid, PasswordResetRequest.oid]
    }

    init(configuration: DirectoryConfiguration) {
        var attributes = [
            EntryAttribute("objectClass", ["top"]),
            EntryAttribute("namingContexts", configuration.namingContexts.map(\.description)),
            EntryAttribute("supportedControl", SupportedControls.oids),
            EntryAttribute("supportedExtension", Self.supportedExtensions + Self.resetExtensions(configuration)),
            EntryAttribute("supportedFeatures", Self.supportedFeatures),
            EntryAttribute("supportedLDAPVersion", ["3"]),
            EntryAttribute("vendorName", [configuration.vendorName]),
            EntryAttribute("vendorVersion", [configuration.vendorVersion]),
            EntryAttribute("entryDN", [""]),
            EntryAttribute("subschemaSubentry", [SubschemaEntry.dn]),
        ]
        attributes.removeAll { $0.values.isEmpty }
        fixed = FixedEntry(entry: Entry(dn: .root, attributes: attributes))
    }
}

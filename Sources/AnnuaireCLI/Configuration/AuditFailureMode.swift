/// `audit-failure`: what a write does when its audit line cannot be written.
enum AuditFailureMode: String, CaseIterable, Hashable, Sendable {
    /// The write fails (nothing is stored): no change without its trail.
    case fail
    /// The write goes on; the failure is logged.
    case `continue`
}

/// One way `bind-identifier` resolves a bare sign-in identifier (domain.md D1).
enum BindIdentifierLookup: String, CaseIterable, Hashable, Sendable {
    /// An entry whose `uid` (or `aspasieIdentifier`) equals the identifier (`jdupont-xt`).
    case uid
    /// An entry whose `mail` local part (before `@`) equals the identifier (DGFiP agents).
    case mailLocalPart = "mail-local-part"
}

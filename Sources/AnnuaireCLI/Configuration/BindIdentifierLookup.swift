/// One way `bind-identifier` resolves a bare sign-in identifier (domain.md D1).
enum BindIdentifierLookup: String, CaseIterable, Hashable, Sendable {
    /// An entry whose `uid` (or `aspasieIdentifier`) equals the identifier (`jdupont-xt`).
    case uid
    /// An entry whose `mail` local part (before `@`) equals the identifier (DGFiP agents).
    case mailLocalPart = "mail-local-part"
}

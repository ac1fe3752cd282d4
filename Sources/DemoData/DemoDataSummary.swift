/// What a generation produced.
public struct DemoDataSummary: Hashable, Sendable {
    /// Every entry written: the suffix, the three `ou`s, service accounts, people, structures, correspondents.
    public var entries = 0
    /// People under `ou=people`.
    public var people = 0
    /// Structures under `ou=structures`.
    public var structures = 0
    /// Correspondents (under `ou=admins`).
    public var correspondents = 0
    /// Service accounts (`monitor`, `portal`) under `ou=admins`.
    public var serviceAccounts = 0
    /// People whose identifier ends in `-xt`.
    public var externalPeople = 0
    /// People who are DGFiP staff (identifier = left part of the mail).
    public var staffPeople = 0
    /// People with a mobile number.
    public var peopleWithMobile = 0
    /// People of population `SSLEPN` (national public establishments).
    public var populationSSLEPN = 0
    /// People of population `SSLSPL` (local establishments and schools).
    public var populationSSLSPL = 0
    /// People who are principal manager of at least one structure.
    public var principalManagers = 0
    /// People who are secondary manager of a structure and principal of none.
    public var secondaryManagers = 0
    /// Attachments in any role (principal, secondary, user), summed over structures.
    public var attachments = 0
    /// Pending attachment requests, summed over structures.
    public var pendingAttachments = 0
    /// Départements present in the data.
    public var departements = 0
    /// Credential lines produced (one per account, whether or not a credentials sink was given).
    public var credentials = 0
    /// Bytes of LDIF written.
    public var ldifBytes = 0

    /// Creates an empty summary.
    public init() {}
}

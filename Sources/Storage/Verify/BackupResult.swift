/// A backup written by ``EnvironmentBackup``.
package struct BackupResult: Hashable, Sendable {
    /// The backup's data file: `DEST/annuaire.mdb`.
    package var path: String
    /// Its size in bytes.
    package var bytes: Int
    /// How long the copy took, in seconds.
    package var seconds: Double
}

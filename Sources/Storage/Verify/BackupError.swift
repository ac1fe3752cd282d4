/// Why ``EnvironmentBackup`` wrote no backup.
package enum BackupError: Error, Sendable, CustomStringConvertible {
    /// The destination holds files, and overwriting was not asked for.
    case destinationNotEmpty(String)
    /// The destination is the data directory being copied.
    case destinationIsDataDirectory(String)
    /// The destination exists and is not a directory, or cannot be created or used.
    case unusableDestination(String, reason: String)
    /// LMDB failed to copy.
    case copyFailed(LMDBError)

    /// A sentence naming the path.
    package var description: String {
        switch self {
        case .destinationNotEmpty(let path):
            "destination \(path) is not empty (use --force to replace the backup in it)"
        case .destinationIsDataDirectory(let path):
            "destination \(path) is the data directory itself"
        case .unusableDestination(let path, let reason):
            "destination \(path) cannot be used: \(reason)"
        case .copyFailed(let error):
            "the copy failed: \(error)"
        }
    }
}

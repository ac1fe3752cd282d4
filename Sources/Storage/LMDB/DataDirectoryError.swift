/// Why a data directory could not be taken for use.
package enum DataDirectoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another process (or another open in this one) holds `DATA/annuaire.lock`. `pid` is the one written in the
    /// lock file by the holder, when it could be read.
    case inUse(directory: String, pid: Int32?)
    /// This process already has an environment open on the directory. LMDB forbids opening one environment twice
    /// in a process (closing the second would drop the first one's locks), so a read-only open is refused too.
    case alreadyOpenInThisProcess(directory: String)
    /// The data directory or its lock file could not be created or opened.
    case unusable(directory: String, reason: String)

    /// A sentence naming the directory and the holder.
    package var description: String {
        switch self {
        case .inUse(let directory, let pid):
            let holder = pid.map { " (pid \($0))" } ?? ""
            return "data directory \(directory) is in use by another Annuaire process\(holder)"
        case .alreadyOpenInThisProcess(let directory):
            return "data directory \(directory) is already open in this process"
        case .unusable(let directory, let reason):
            return "data directory \(directory) cannot be used: \(reason)"
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A consistent copy of an environment into a backup directory, for `annuaire backup`.
///
/// LMDB copies one read transaction's snapshot (`mdb_env_copy2` with `MDB_CP_COMPACT`: free pages left out, the
/// rest renumbered) while the writer goes on. The copy is written under a temporary name
/// (`DEST/annuaire.mdb.partial-PID`), flushed, then renamed to `DEST/annuaire.mdb` and the directory flushed: an
/// interrupted backup never leaves a file that looks complete. The result is a data directory: open it as one
/// (read-only, or copy it in place of a data directory to restore).
package enum EnvironmentBackup {
    /// Copies `environment` into the directory `destination` (created with mode 0700 when missing).
    ///
    /// A destination holding anything is refused unless `replacing` (the new copy then replaces
    /// `DEST/annuaire.mdb` atomically; other files are left alone); the data directory itself always is.
    package static func write(
        _ environment: LMDBEnvironment, into destination: String, replacing: Bool = false
    ) throws(BackupError) -> BackupResult {
        let start = ContinuousClock.now
        let directory: String
        do {
            try makeDirectories(destination, mode: 0o700)
            directory = try canonicalPath(destination)
        } catch let error as DataDirectoryError {
            if case .unusable(_, let reason) = error { throw .unusableDestination(destination, reason: reason) }
            throw .unusableDestination(destination, reason: "\(error)")
        } catch {
            throw .unusableDestination(destination, reason: "\(error)")
        }
        guard directory != environment.directory else { throw .destinationIsDataDirectory(destination) }
        let names = try contents(of: directory)
        guard names.isEmpty || replacing else { throw .destinationNotEmpty(destination) }

        let final = directory + "/" + LMDBEnvironment.dataFileName
        let partial = final + ".partial-\(getpid())"
        unlink(partial)
        do {
            try environment.copy(to: partial, compact: true)
        } catch {
            unlink(partial)
            if let error = error as? LMDBError { throw .copyFailed(error) }
            throw .unusableDestination(destination, reason: "\(error)")
        }
        do throws(BackupError) {
            try flush(partial, destination: destination)
            guard rename(partial, final) == 0 else {
                throw .unusableDestination(destination, reason: "rename: \(systemMessage(errno))")
            }
        } catch {
            unlink(partial)
            throw error
        }
        try flush(directory, destination: destination)

        let bytes = size(of: final)
        let elapsed = ContinuousClock.now - start
        return BackupResult(
            path: final, bytes: bytes,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// The names in `directory`, without `.` and `..`.
    private static func contents(of directory: String) throws(BackupError) -> [String] {
        guard let stream = opendir(directory) else {
            throw .unusableDestination(directory, reason: "opendir: \(systemMessage(errno))")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The size of the file at `path` in bytes (0 when it cannot be opened).
    private static func size(of path: String) -> Int {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        return Int(max(lseek(descriptor, 0, SEEK_END), 0))
    }

    /// `fsync` of a file or directory.
    private static func flush(_ path: String, destination: String) throws(BackupError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw .unusableDestination(destination, reason: "open \(path): \(systemMessage(errno))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw .unusableDestination(destination, reason: "fsync \(path): \(systemMessage(errno))")
        }
    }
}

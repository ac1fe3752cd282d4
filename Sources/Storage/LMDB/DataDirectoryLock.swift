#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The claim of this process on a data directory: a registration in this process, and for read-write opens an
/// exclusive, non-blocking `flock` on `DATA/annuaire.lock` holding the owner's pid.
///
/// `flock` locks belong to an open file description, so a second open of the same directory — by another process
/// or by this one — is refused. The lock goes away with the descriptor, also when the process dies. The descriptor
/// is close-on-exec, so children started by the server do not inherit the lock.
final class DataDirectoryLock: @unchecked Sendable {
    /// The file name of the lock inside the data directory.
    static let fileName = "annuaire.lock"

    /// The canonical (symlink-free, absolute) data directory path.
    let directory: String
    private var descriptor: Int32
    private var released = false

    private init(directory: String, descriptor: Int32) {
        self.directory = directory
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Claims `directory` (which must exist and be canonical). Read-write claims take the `flock`.
    static func acquire(directory: String, exclusive: Bool, fileMode: UInt32) throws -> DataDirectoryLock {
        guard registry.insert(directory) else {
            throw DataDirectoryError.alreadyOpenInThisProcess(directory: directory)
        }
        guard exclusive else { return DataDirectoryLock(directory: directory, descriptor: -1) }
        let path = directory + "/" + fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(fileMode))
        guard descriptor >= 0 else {
            let failure = errno
            registry.remove(directory)
            throw DataDirectoryError.unusable(directory: directory, reason: "\(path): \(systemMessage(failure))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            let holder = readPid(descriptor)
            close(descriptor)
            registry.remove(directory)
            if failure == EWOULDBLOCK {
                throw DataDirectoryError.inUse(directory: directory, pid: holder)
            }
            throw DataDirectoryError.unusable(directory: directory, reason: "flock(\(path)): \(systemMessage(failure))")
        }
        writePid(descriptor)
        return DataDirectoryLock(directory: directory, descriptor: descriptor)
    }

    /// Gives the directory up: empties the lock file's pid, closes it (dropping the `flock`), unregisters.
    func release() {
        guard !released else { return }
        released = true
        if descriptor >= 0 {
            _ = ftruncate(descriptor, 0)
            close(descriptor)
            descriptor = -1
        }
        Self.registry.remove(directory)
    }

    private static func writePid(_ descriptor: Int32) {
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        _ = fsync(descriptor)
    }

    private static func readPid(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        let digits = text.prefix { $0.isNumber }
        return Int32(digits)
    }

    /// Canonical paths of the data directories this process has open.
    private static let registry = Registry()

    private final class Registry: @unchecked Sendable {
        private let mutex = LMDBMutex()
        private var paths: Set<String> = []

        func insert(_ path: String) -> Bool { mutex.withLock { paths.insert(path).inserted } }
        func remove(_ path: String) { _ = mutex.withLock { paths.remove(path) } }
    }
}

/// The system's text for an `errno` value.
func systemMessage(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

/// Creates `path` and its missing parents with `mode`, like `mkdir -p`.
func makeDirectories(_ path: String, mode: UInt32) throws {
    var current = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
        current += "/" + component
        if mkdir(current, mode_t(mode)) != 0 {
            let failure = errno
            guard failure == EEXIST else {
                throw DataDirectoryError.unusable(
                    directory: path, reason: "mkdir \(current): \(systemMessage(failure))")
            }
        }
    }
    var status = stat()
    guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
        throw DataDirectoryError.unusable(directory: path, reason: "not a directory")
    }
}

/// The absolute, symlink-free form of an existing `path`.
func canonicalPath(_ path: String) throws -> String {
    guard let resolved = realpath(path, nil) else {
        throw DataDirectoryError.unusable(directory: path, reason: systemMessage(errno))
    }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// The cost of an Argon2 hash: memory, passes, lanes, and the salt and output lengths.
///
/// The same bounds apply to the parameters configured for new hashes and to those read from a stored value:
/// a stored `{ARGON2}` value asking for more (say `m=1099511627776`) is refused before anything is allocated,
/// so a tampered or absurd value cannot exhaust the server's memory or time; and every configured value
/// verifies, being inside the bounds.
package struct Argon2Parameters: Sendable, Hashable, CustomStringConvertible {
    /// Memory in KiB (`m=`).
    package var memoryKiB: UInt32
    /// Passes over the memory (`t=`).
    package var iterations: UInt32
    /// Lanes (`p=`). The hash depends on the lanes, not on threads: Annuaire always computes with one thread
    /// on the calling pool thread, so parallelism never spawns threads behind the server's pools.
    package var parallelism: UInt32
    /// Random salt bytes for new hashes (stored values carry theirs).
    package var saltLength: Int
    /// Output bytes.
    package var hashLength: Int

    /// The defaults for new hashes: argon2id with m=19 MiB, t=2, p=1 (OWASP's first recommended
    /// configuration, RFC 9106 §4's spirit at a memory a 2-core bind-heavy server can afford), 16-byte salt,
    /// 32-byte hash (as OpenLDAP's module). docs/passwords.md gives the timings behind the choice.
    package static let `default` = Argon2Parameters(
        memoryKiB: 19_456, iterations: 2, parallelism: 1, saltLength: 16, hashLength: 32)

    /// Highest memory accepted: 256 MiB.
    package static let maximumMemoryKiB: UInt32 = 262_144
    /// Highest number of passes accepted.
    package static let maximumIterations: UInt32 = 32
    /// Highest number of lanes accepted.
    package static let maximumParallelism: UInt32 = 16
    /// Accepted salt lengths (libargon2's minimum is 8).
    package static let saltLengths = 8...64
    /// Accepted output lengths (16 bytes at least: a shorter hash is too easy to collide).
    package static let hashLengths = 16...64

    /// Makes parameters (not validated: see ``validate()``).
    package init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32, saltLength: Int, hashLength: Int) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
        self.saltLength = saltLength
        self.hashLength = hashLength
    }

    /// The PHC parameter text, `m=19456,t=2,p=1`.
    package var description: String { "m=\(memoryKiB),t=\(iterations),p=\(parallelism)" }

    /// invalidParameter unless every value is inside the bounds above (and memory is at least 8 KiB per lane,
    /// Argon2's own minimum).
    package func validate() throws(PasswordHashingError) {
        guard (1...Self.maximumParallelism).contains(parallelism) else {
            throw .invalidParameter("argon2 parallelism must be 1 to \(Self.maximumParallelism), not \(parallelism)")
        }
        let minimumMemory = 8 * parallelism
        guard (minimumMemory...Self.maximumMemoryKiB).contains(memoryKiB) else {
            throw .invalidParameter(
                "argon2 memory must be \(minimumMemory) to \(Self.maximumMemoryKiB) KiB for p=\(parallelism), "
                    + "not \(memoryKiB)")
        }
        guard (1...Self.maximumIterations).contains(iterations) else {
            throw .invalidParameter("argon2 iterations must be 1 to \(Self.maximumIterations), not \(iterations)")
        }
        guard Self.saltLengths.contains(saltLength) else {
            throw .invalidParameter(
                "argon2 salt length must be \(Self.saltLengths.lowerBound) to \(Self.saltLengths.upperBound) "
                    + "bytes, not \(saltLength)")
        }
        guard Self.hashLengths.contains(hashLength) else {
            throw .invalidParameter(
                "argon2 hash length must be \(Self.hashLengths.lowerBound) to \(Self.hashLengths.upperBound) "
                    + "bytes, not \(hashLength)")
        }
    }

    /// Whether ``validate()`` passes.
    package var isValid: Bool {
        do {
            try validate()
            return true
        } catch {
            return false
        }
    }
}

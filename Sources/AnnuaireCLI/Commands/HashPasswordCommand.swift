import ArgumentParser
import PasswordHashing

/// `annuaire hash-password [--scheme S] [--argon2-memory KiB] [--argon2-iterations N] [--argon2-parallelism N]
/// [--argon2-salt-length N] [--argon2-hash-length N] [--pbkdf2-rounds N]`: reads one password line on standard
/// input and prints its stored form (`{ARGON2}$argon2id$…` by default), for a `root-password` setting or an
/// LDIF to import — the counterpart of OpenLDAP's slappasswd (docs/passwords.md).
///
/// The password comes from standard input, never from an argument: arguments are visible to every user in
/// `ps` and stay in shell histories.
struct HashPasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-password",
        abstract: "Print the stored form of a password read on standard input.",
        discussion: """
            Reads one line (the password, without its line end) and prints one value such as \
            {ARGON2}$argon2id$v=19$m=19456,t=2,p=1$…$…, ready for userPassword or root-password. Schemes: argon2 \
            (default), ssha, ssha256, ssha512, sha, pbkdf2-sha256, pbkdf2-sha512, crypt ($6$). Exit status: 0 \
            printed, 64 bad option, 65 empty or non-UTF-8 password, 66 nothing on standard input.
            """
    )

    /// `EX_DATAERR`: the password cannot be hashed (empty, not UTF-8 where needed).
    static let dataErrorStatus: Int32 = 65
    /// `EX_NOINPUT`: standard input ended before a line.
    static let noInputStatus: Int32 = 66

    @Option(help: ArgumentHelp("The scheme: argon2, ssha, ssha256, ssha512, sha, pbkdf2-sha256, pbkdf2-sha512, crypt."))
    var scheme: String = PasswordScheme.argon2.description

    @Option(name: .customLong("argon2-memory"), help: ArgumentHelp("Argon2 memory in KiB.", valueName: "KiB"))
    var argon2Memory: UInt32 = Argon2Parameters.default.memoryKiB

    @Option(name: .customLong("argon2-iterations"), help: ArgumentHelp("Argon2 passes (t).", valueName: "n"))
    var argon2Iterations: UInt32 = Argon2Parameters.default.iterations

    @Option(name: .customLong("argon2-parallelism"), help: ArgumentHelp("Argon2 lanes (p).", valueName: "n"))
    var argon2Parallelism: UInt32 = Argon2Parameters.default.parallelism

    @Option(name: .customLong("argon2-salt-length"), help: ArgumentHelp("Argon2 salt bytes.", valueName: "n"))
    var argon2SaltLength: Int = Argon2Parameters.default.saltLength

    @Option(name: .customLong("argon2-hash-length"), help: ArgumentHelp("Argon2 output bytes.", valueName: "n"))
    var argon2HashLength: Int = Argon2Parameters.default.hashLength

    @Option(name: .customLong("pbkdf2-rounds"), help: ArgumentHelp("PBKDF2 iterations.", valueName: "n"))
    var pbkdf2Rounds: Int = PasswordHasher().pbkdf2Rounds

    /// The configured hasher, the options validated.
    var hasher: PasswordHasher {
        get throws {
            let hasher = PasswordHasher(
                argon2: Argon2Parameters(
                    memoryKiB: argon2Memory, iterations: argon2Iterations, parallelism: argon2Parallelism,
                    saltLength: argon2SaltLength, hashLength: argon2HashLength),
                pbkdf2Rounds: pbkdf2Rounds)
            do {
                try hasher.validate()
            } catch {
                throw ValidationError(error.description)
            }
            return hasher
        }
    }

    /// The scheme option, known and not cleartext (printing the password back would be pointless).
    var chosenScheme: PasswordScheme {
        get throws {
            guard let chosen = PasswordScheme(name: scheme), chosen != .cleartext else {
                throw ValidationError(
                    "--scheme must be one of argon2, ssha, ssha256, ssha512, sha, pbkdf2-sha256, pbkdf2-sha512, "
                        + "crypt; not '\(scheme)'")
            }
            return chosen
        }
    }

    func validate() throws {
        _ = try chosenScheme
        _ = try hasher
    }

    func run() throws {
        guard let line = readLine(strippingNewline: true) else {
            printError("annuaire hash-password: no password on standard input")
            throw ExitCode(Self.noInputStatus)
        }
        guard !line.isEmpty else {
            printError("annuaire hash-password: the password is empty")
            throw ExitCode(Self.dataErrorStatus)
        }
        do {
            print(try hasher.hash(Array(line.utf8), scheme: try chosenScheme))
        } catch let error as PasswordHashingError {
            printError("annuaire hash-password: \(error)")
            throw ExitCode(Self.dataErrorStatus)
        }
    }

    /// One line on standard error (through the CLI's ``StandardError``).
    private func printError(_ text: String) {
        StandardError.write(text)
    }
}

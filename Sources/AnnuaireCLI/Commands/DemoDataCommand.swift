import ArgumentParser
import DemoData

/// `annuaire demo-data --people N [--seed S] [--password-scheme SCHEME] [--credentials FILE] [OUT]`: realistic
/// generated LDIF (people, structures, correspondents), and optionally the accounts' credentials for the load
/// generator.
struct DemoDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Generate a realistic partner directory as LDIF.",
        discussion: """
            One seed always gives the same bytes. Without --seed a random one is drawn and printed on standard \
            error, so the run can be repeated. --credentials writes one line per account: \
            identifier<TAB>dn<TAB>password<TAB>role.
            """
    )

    @Option(help: "How many people to generate (correspondents and service accounts come on top).")
    var people: Int

    @Option(help: "The seed of the generator (default: random, printed on standard error).")
    var seed: UInt64?

    @Option(
        name: .customLong("password-scheme"),
        help: ArgumentHelp("How userPassword is written: SSHA or CLEARTEXT.", valueName: "scheme"))
    var passwordScheme: String = PasswordScheme.ssha.rawValue

    @Option(help: ArgumentHelp("Write the accounts' credentials to this file.", valueName: "file"))
    var credentials: String?

    @Option(help: ArgumentHelp("The naming context to generate under.", valueName: "dn"))
    var suffix: String = DemoDataOptions.defaultSuffix

    @Argument(help: ArgumentHelp("The LDIF file to write; '-' or absent: standard output.", valueName: "out"))
    var output: String?

    func validate() throws {
        guard people >= 0 else { throw ValidationError("--people must be 0 or more, not \(people)") }
        guard PasswordScheme(name: passwordScheme) != nil else {
            let names = PasswordScheme.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--password-scheme '\(passwordScheme)' is not one of \(names)")
        }
    }

    func run() async throws {
        let seed = self.seed ?? DemoDataOptions.randomSeed()
        if self.seed == nil {
            StandardError.write("annuaire demo-data: seed \(seed)")
        }
        let options = DemoDataOptions(
            people: people,
            seed: seed,
            suffix: suffix,
            passwordScheme: PasswordScheme(name: passwordScheme) ?? .ssha
        )
        let summary: DemoDataSummary
        do {
            let generator = try DemoDataGenerator(options: options)
            summary = try generator.generate(ldifPath: output, credentialsPath: credentials)
        } catch {
            StandardError.write("annuaire demo-data: \(error)")
            throw ExitCode.failure
        }
        StandardError.write(
            "annuaire demo-data: \(summary.entries) entries (\(summary.people) people, \(summary.structures) "
                + "structures, \(summary.correspondents) correspondents), \(summary.ldifBytes) bytes")
    }
}

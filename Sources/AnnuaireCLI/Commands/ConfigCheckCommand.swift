import ArgumentParser

/// `annuaire config check [--config FILE] [flags…]`: loads and checks the configuration and prints the effective
/// one, each value with its source, secrets masked. Exit status 0 when valid, 78 (`EX_CONFIG`) otherwise, with
/// every problem on standard error.
struct ConfigCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the configuration and print the effective settings with their sources.",
        discussion: "Exit status 0 when the configuration is valid, 78 (EX_CONFIG) when it is not."
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let loaded = try options.loadOrExit()
        print(ConfigurationRenderer.render(loaded), terminator: "")
    }
}

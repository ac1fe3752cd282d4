import ArgumentParser

/// `annuaire config`: tools for the configuration.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the configuration.",
        subcommands: [ConfigCheckCommand.self]
    )
}

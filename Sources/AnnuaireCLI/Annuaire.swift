import ArgumentParser

/// `annuaire`: the LDAPv3 directory server and its tools, one subcommand each.
@main
struct Annuaire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annuaire",
        abstract: "Annuaire, an LDAPv3 directory server.",
        discussion: """
            Every setting can come from the configuration file (--config), an ANNUAIRE_ environment variable or \
            a flag; flags win over the environment, which wins over the file. An invalid configuration exits \
            with status 78. See docs/configuration.md.
            """,
        subcommands: [
            ServeCommand.self, HashPasswordCommand.self, ConfigCommand.self, DemoDataCommand.self, ImportCommand.self, ExportCommand.self, BackupCommand.self,
            VerifyCommand.self, NotifyExpiryCommand.self, BenchCommand.self,
        ]
    )
}

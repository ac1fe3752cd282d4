import ArgumentParser
import LoadGenerator

/// `annuaire bench --url URL --workload NAME --credentials FILE --connections C --depth D --duration S
/// [--bind-dn DN --password P] [--base DN]`: the load generator (docs/load-generator.md). Its last line on
/// standard output is `RESULT workload=… ops=… seconds=… ops_per_s=… p50_ms=… p99_ms=… errors=…`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load an LDAP server and measure throughput and latency.",
        discussion: """
            Workloads: search-uid (equality search on the uid of a random account, one entry back), bind (simple \
            bind of a random account), login (bind, then read the bound entry), modify (replace the description of \
            a random account, as --bind-dn), mixed (90% login, 9% search-uid, 1% modify). Accounts come from the \
            --credentials file of `annuaire demo-data` (service accounts left out). Workloads that bind users open \
            one connection per request in flight (connections × depth), since LDAP allows nothing else in flight \
            during a bind; search-uid and modify pipeline depth requests on each connection. Successful operations \
            completed in the measured window count; failures are errors (the first distinct ones on standard \
            error). Exit status: 0 run done (even with errors), 1 could not run, 64 bad option.
            """
    )

    @Option(help: ArgumentHelp("The server: ldap://HOST[:PORT] or ldaps://HOST[:PORT].", valueName: "url"))
    var url: String

    @Option(help: ArgumentHelp("search-uid, bind, login, modify or mixed.", valueName: "name"))
    var workload: String

    @Option(help: ArgumentHelp("The credentials file of `annuaire demo-data --credentials`.", valueName: "file"))
    var credentials: String

    @Option(help: ArgumentHelp("Connections (see the discussion for workloads that bind).", valueName: "C"))
    var connections: Int = 1

    @Option(help: ArgumentHelp("Requests in flight per connection.", valueName: "D"))
    var depth: Int = 1

    @Option(help: ArgumentHelp("Measured seconds, after the warm-up.", valueName: "S"))
    var duration: Double = 10

    @Option(help: ArgumentHelp("Seconds of load before measuring.", valueName: "S"))
    var warmup: Double = 1

    @Option(
        name: .customLong("bind-dn"),
        help: ArgumentHelp("Identity of the search and modify connections (anonymous without).", valueName: "dn"))
    var bindDN: String?

    @Option(help: ArgumentHelp("Password of --bind-dn.", valueName: "password"))
    var password: String?

    @Option(help: ArgumentHelp("Base of the uid searches.", valueName: "dn"))
    var base: String = BenchSettings.defaultBase

    @Option(help: ArgumentHelp("Event-loop threads of the generator.", valueName: "n"))
    var threads: Int = 1

    @Option(help: ArgumentHelp("Seed of the account and operation draws.", valueName: "n"))
    var seed: UInt64 = 1

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("PEM file of the CA of the server's certificate (ldaps).", valueName: "file"))
    var caFile: String?

    @Flag(
        name: .customLong("no-verify-certificate"),
        help: "Accept any server certificate (ldaps to a self-signed test server).")
    var noVerifyCertificate = false

    func makeSettings() throws(BenchSettingsError) -> BenchSettings {
        guard let workload = Workload(rawValue: workload) else {
            let names = Workload.allCases.map(\.rawValue).joined(separator: ", ")
            throw BenchSettingsError("--workload '\(self.workload)' is not one of \(names)")
        }
        let settings = BenchSettings(
            url: try BenchURL(parsing: url), workload: workload, connections: connections, depth: depth,
            duration: duration, warmup: warmup, bindDN: bindDN, password: password, base: base, threads: threads,
            verifyCertificate: !noVerifyCertificate, caFile: caFile, seed: seed)
        try settings.validate()
        return settings
    }

    func validate() throws {
        do {
            _ = try makeSettings()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let settings: BenchSettings
        let accounts: [BenchAccount]
        do {
            settings = try makeSettings()
        } catch {
            StandardError.write("annuaire bench: \(error)")
            throw ExitCode.failure
        }
        do {
            accounts = try Credentials.load(path: credentials)
        } catch {
            StandardError.write("annuaire bench: \(error)")
            throw ExitCode.failure
        }
        let result: BenchResult
        do {
            result = try await BenchRunner.run(settings: settings, accounts: accounts) { StandardError.write($0) }
        } catch {
            StandardError.write("annuaire bench: \(error)")
            throw ExitCode.failure
        }
        if result.lostConnections > 0 {
            StandardError.write("annuaire bench: \(result.lostConnections) slot(s) lost their connection and stopped")
        }
        for (description, count) in result.firstErrors {
            StandardError.write("annuaire bench: error ×\(count): \(description)")
        }
        print(result.cpuLine)
        print(result.resultLine)
    }
}

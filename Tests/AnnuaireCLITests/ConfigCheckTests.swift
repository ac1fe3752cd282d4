import ArgumentParser
import Foundation
import Testing

@testable import AnnuaireCLI

@Suite("config check output and the shipped configuration files")
struct ConfigCheckTests {
    @Test("each value is printed with its source")
    func rendersSources() throws {
        let path = try TestSupport.write("log-level = \"debug\"\n[index]\ntelephoneNumber = [\"eq\"]\n")
        let loaded = try TestSupport.load(
            environment: ["ANNUAIRE_CONFIG": path, "ANNUAIRE_MAX_FILTER_DEPTH": "32"],
            flags: ["--listen", "ldap://127.0.0.1:2389"])
        let lines = ConfigurationRenderer.render(loaded).split(separator: "\n").map(String.init)
        func line(_ prefix: String) -> String? { lines.first { $0.hasPrefix(prefix) } }
        #expect(lines.contains("# configuration file: \(path)"))
        #expect(line("log-level = \"debug\"")?.hasSuffix("# \(path):1") == true)
        #expect(line("max-filter-depth = 32")?.hasSuffix("# environment variable ANNUAIRE_MAX_FILTER_DEPTH") == true)
        #expect(line("listen = [\"ldap://127.0.0.1:2389\"]")?.hasSuffix("# flag --listen") == true)
        #expect(line("data-dir = \"./data\"")?.hasSuffix("# default") == true)
        #expect(line("root-dn = ")?.hasSuffix("# default: cn=admin,<suffix>") == true)
        #expect(line("# metrics is not set") != nil)
        #expect(line("max-pdu-size = \"256KiB\"") != nil)
        #expect(line("telephoneNumber = [\"eq\"]")?.hasSuffix("# \(path):3") == true)
        #expect(line("uid = [\"eq\", \"sub\"]")?.hasSuffix("# default") == true)
    }

    @Test("secrets are masked: the password of the metrics URL never appears")
    func masksSecrets() throws {
        let loaded = try TestSupport.load(flags: ["--metrics", "http://scraper:s3cret@127.0.0.1:9389/m"])
        #expect(loaded.configuration.metrics?.userInfo == "scraper:s3cret")
        let output = ConfigurationRenderer.render(loaded)
        #expect(!output.contains("s3cret"))
        #expect(output.contains("metrics = \"http://scraper:***@127.0.0.1:9389/m\""))
    }

    @Test("the output is a configuration file that gives the same configuration")
    func outputReloads() throws {
        let directory = try TestSupport.temporaryDirectory()
        let password = try TestSupport.write("secret\n", name: "pw", in: directory)
        let loaded = try TestSupport.load(
            environment: ["ANNUAIRE_INDEX": "description=eq,sub;mail="],
            flags: [
                "--suffix", "o=Quoted \\\"Corp\\\"", "--root-password-file", password, "--data-dir", directory,
                "--listen", "ldaps://[::1]:1636", "--max-pdu-size", "2000", "--metrics", "http://localhost:9000",
            ])
        let rendered = ConfigurationRenderer.render(loaded)
        #expect(rendered.contains("mail = []"))
        let reloaded = try TestSupport.load(file: rendered)
        #expect(reloaded.configuration == loaded.configuration)
    }

    @Test("the configuration `make run` serves is the built-in default")
    func shippedDefaultIsBuiltIn() throws {
        let path = TestSupport.repositoryRoot.appendingPathComponent("config/annuaire.conf").path
        let options = try ConfigurationOptions.parse(["--config", path])
        let fromFile = try options.loader(environment: TestSupport.baseEnvironment).load()
        let builtIn = try TestSupport.load()
        #expect(fromFile.configuration == builtIn.configuration)
    }

    @Test("the annotated example is a valid configuration")
    func exampleIsValid() throws {
        let path = TestSupport.repositoryRoot.appendingPathComponent("config/annuaire.example.conf").path
        let options = try ConfigurationOptions.parse(["--config", path])
        let loaded = try options.loader(environment: TestSupport.baseEnvironment).load()
        #expect(loaded.configuration.listeners.count == 2)
    }

    @Test("docs/configuration.md documents every key, its variable and its flag")
    func referenceCoversEveryKey() throws {
        let path = TestSupport.repositoryRoot.appendingPathComponent("docs/configuration.md").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for key in ConfigurationKey.allCases {
            #expect(text.contains("`\(key.name)`"), "docs/configuration.md lacks `\(key.name)`")
            #expect(text.contains(key.environmentVariable), "docs/configuration.md lacks \(key.environmentVariable)")
            #expect(text.contains("`\(key.flag)"), "docs/configuration.md lacks `\(key.flag)")
        }
        #expect(text.contains("78"))
    }
}

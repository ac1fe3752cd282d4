import Testing

@testable import AnnuaireCLI

@Suite("Configuration file syntax (TOML subset)")
struct ConfigFileParserTests {
    @Test("strings, integers, arrays across lines, comments and the [index] table, each with its line")
    func parsesEverySupportedForm() throws {
        let text = """
            # comment
            data-dir = "./data"   # trailing comment
            "suffix" = 'dc=example,dc=com'
            max-filter-depth = 1_024
            listen = [
                "ldap://127.0.0.1:1389",  # first
                "ldaps://[::1]:1636",
            ]
            escaped = "a\\"b\\\\c\\u00e9\\n"

            [index]
            uid = ["eq", "sub"]
            mail = []
            """
        let file = try ConfigFile(path: "t.conf", text: text)
        #expect(
            file.entries == [
                ConfigFileEntry(table: nil, key: "data-dir", value: .string("./data"), line: 2),
                ConfigFileEntry(table: nil, key: "suffix", value: .string("dc=example,dc=com"), line: 3),
                ConfigFileEntry(table: nil, key: "max-filter-depth", value: .integer(1024), line: 4),
                ConfigFileEntry(
                    table: nil, key: "listen",
                    value: .array([.string("ldap://127.0.0.1:1389"), .string("ldaps://[::1]:1636")]), line: 5),
                ConfigFileEntry(table: nil, key: "escaped", value: .string("a\"b\\cé\n"), line: 9),
                ConfigFileEntry(table: "index", key: "uid", value: .array([.string("eq"), .string("sub")]), line: 12),
                ConfigFileEntry(table: "index", key: "mail", value: .array([]), line: 13),
            ])
    }

    @Test("CRLF line ends and a missing final newline")
    func acceptsCRLF() throws {
        let file = try ConfigFile(path: "t", text: "a = 1\r\nb = \"x\"")
        #expect(file.entries.map(\.line) == [1, 2])
        #expect(file.entries.map(\.value) == [.integer(1), .string("x")])
    }

    @Test("booleans are the bare words true and false")
    func booleans() throws {
        let file = try ConfigFile(path: "t", text: "a = true\nb = false\nc = [true]")
        #expect(file.entries.map(\.value) == [.boolean(true), .boolean(false), .array([.boolean(true)])])
    }

    @Test(
        "syntax errors name their line",
        arguments: [
            ("a = \"open\n", 1, "unterminated string"),
            ("\n\nb = 'open", 3, "unterminated string"),
            ("a = 1\na = 2", 2, "already set on line 1"),
            ("[index]\n[index]", 2, "defined twice"),
            ("a = True", 1, "quote strings"),
            ("a = 1.5", 1, "only decimal integers"),
            ("a = { b = 1 }", 1, "inline tables"),
            ("index.uid = [\"eq\"]", 1, "dotted keys"),
            ("a = [\"x\",\n\"y\"", 2, "unterminated array"),
            ("a = [\"x\" \"y\"]", 1, "expected ',' or ']'"),
            ("a = \"x\" b", 1, "one setting per line"),
            ("a = bare", 1, "quote strings"),
            ("a =", 1, "expected a value"),
            ("a \"x\"", 1, "expected '='"),
            ("a = 007", 1, "leading zeros"),
            ("a = 99999999999999999999", 1, "too large"),
            ("a = \"\\q\"", 1, "invalid escape"),
            ("[[t]]", 1, "arrays of tables"),
            ("a = \"\"\"x\"\"\"", 1, "multi-line strings"),
        ])
    func syntaxErrors(text: String, line: Int, fragment: String) {
        #expect {
            _ = try ConfigFile(path: "t", text: text)
        } throws: { error in
            guard let error = error as? ConfigFileError else { return false }
            return error.line == line && error.message.contains(fragment)
        }
    }

    @Test("a file that cannot be read names the --config flag")
    func unreadableFile() {
        let issues = TestSupport.issues(flags: ["--config", "/nonexistent/annuaire.conf"])
        #expect(issues.count == 1)
        #expect(issues.first?.source == .flag("--config"))
        #expect(issues.first?.message.contains("cannot read configuration file '/nonexistent/annuaire.conf'") == true)
    }

    @Test("ANNUAIRE_CONFIG names the file when --config is absent")
    func configFromEnvironment() throws {
        let path = try TestSupport.write("log-level = \"debug\"\n")
        let loaded = try TestSupport.load(environment: ["ANNUAIRE_CONFIG": path])
        #expect(loaded.configuration.logLevel == .debug)
        #expect(loaded.configFile == path)
        #expect(loaded.source(of: .logLevel) == .file(path: path, line: 1))
    }
}

import Foundation
import LDAPProtocol
import Testing

@testable import AnnuaireCLI

@Suite("Validation: each bad value names its key, its source and what is wrong")
struct ValidationTests {
    /// A flag, the key the issue must name and a fragment of its message.
    @Test(
        "bad flags",
        arguments: [
            (["--listen", "http://127.0.0.1:80"], "listen", "scheme 'http' is not ldap or ldaps"),
            (["--listen", "ldap://127.0.0.1"], "listen", "has no port"),
            (["--listen", "ldap://:389"], "listen", "has no host"),
            (["--listen", "ldap://127.0.0.1:70000"], "listen", "not a number from 1 to 65535"),
            (["--listen", "ldap://127.0.0.1:0"], "listen", "not a number from 1 to 65535"),
            (["--listen", "ldap://127.0.0.1:389/o=x"], "listen", "no path"),
            (["--listen", "ldap://u:p@127.0.0.1:389"], "listen", "no user name or password"),
            (["--listen", "127.0.0.1:389"], "listen", "is not a URL"),
            (["--listen", "ldap://[zz]:389"], "listen", "is not an IPv6 address"),
            (["--listen", "ldap://a:1", "--listen", "ldaps://a:1"], "listen", "uses the same address"),
            (["--listen", ","], "listen", "at least one listener"),
            (["--log-level", "verbose"], "log-level", "'verbose' is not a log level"),
            (["--suffix", "dc=example,,dc=com"], "suffix", "is not a distinguished name"),
            (["--suffix", ""], "suffix", "must not be empty"),
            (["--root-dn", "cn=admin"], "root-dn", "is not below the suffix"),
            (["--root-dn", "cn=admin,dc=elsewhere"], "root-dn", "is not below the suffix"),
            (["--root-dn", "cn"], "root-dn", "is not a distinguished name"),
            (["--root-password-file", "/nonexistent/pw"], "root-password-file", "does not exist"),
            (["--metrics", "https://127.0.0.1:9389"], "metrics", "is not http"),
            (["--metrics", "http://127.0.0.1"], "metrics", "has no port"),
            (["--metrics", "http://127.0.0.1:1389"], "metrics", "uses the address of the listener"),
            (["--map-size", "0"], "map-size", "too small"),
            (["--map-size=-5"], "map-size", "is not a size"),
            (["--map-size", "lots"], "map-size", "is not a size"),
            (["--map-size", "99999999999TiB"], "map-size", "is not a size"),
            (["--map-size", "2GiB", "--max-map-size", "1GiB"], "max-map-size", "smaller than map-size"),
            (["--max-pdu-size", "512"], "max-pdu-size", "too small"),
            (["--max-pdu-size", "2GiB"], "max-pdu-size", "too large"),
            (["--max-filter-depth", "0"], "max-filter-depth", "out of range"),
            (["--max-filter-depth", "deep"], "max-filter-depth", "is not an integer"),
            (["--index", "uid=eq,fast"], "index", "'fast' is not an index kind"),
            (["--index", "uid"], "index", "is not ATTRIBUTE=KIND"),
            (["--index", "no_such=eq"], "index", "is not an attribute name"),
            (["--index", "noSuchAttribute=eq"], "index", "is not an attribute type of the schema"),
            (["--index", "givenName=ord"], "index", "needs an ORDERING matching rule"),
            (["--index", "objectClass=eq,sub"], "index", "needs an SUBSTR matching rule"),
            (["--index", "0.9.2342.19200300.100.1.1=eq"], "index", "name the same attribute type"),
            (["--schema-directory", "/nonexistent/schema"], "schema-directory", "does not exist"),
            (["--schema-files", "core,nosuch"], "schema-files", "schema 'nosuch'"),
            (["--schema-files", "aspasie"], "schema-files", "the schema does not load"),
            (["--tls-certificate", "/nonexistent/c.pem"], "tls-certificate", "tls-key is not set"),
            (["--tls-verify-clients", "sometimes"], "tls-verify-clients", "'sometimes' is not a mode"),
            (["--tls-verify-clients", "required"], "tls-verify-clients", "needs tls-ca-file"),
            (["--require-tls-for-passwords", "maybe"], "require-tls-for-passwords", "is not a boolean"),
            (["--size-limit=-1"], "size-limit", "out of range"),
            (["--time-limit", "soon"], "time-limit", "is not an integer"),
            (["--idle-timeout=-3"], "idle-timeout", "out of range"),
            (["--max-connections", "0"], "max-connections", "out of range"),
            (["--max-connections-per-address", "0"], "max-connections-per-address", "out of range"),
            (["--max-operations-per-connection", "0"], "max-operations-per-connection", "out of range"),
            (["--read-threads", "5000"], "read-threads", "out of range"),
            (["--shutdown-timeout", "99999"], "shutdown-timeout", "out of range"),
            (["--password-hash", "md5"], "password-hash", "is not a scheme for new passwords"),
            (["--password-hash", "cleartext"], "password-hash", "is not a scheme for new passwords"),
            (["--password-argon2-memory", "4"], "password-argon2-memory", "out of range"),
            (["--password-rehash-on-bind", "sometimes"], "password-rehash-on-bind", "is not a boolean"),
        ] as [([String], String, String)])
    func badFlag(flags: [String], key: String, fragment: String) throws {
        let issues = TestSupport.issues(flags: flags)
        let matching = issues.filter { $0.key == key && $0.message.contains(fragment) }
        #expect(!matching.isEmpty, "no issue on \(key) containing \"\(fragment)\" in \(issues)")
        for issue in matching {
            guard case .flag(let flag) = issue.source else {
                Issue.record("\(issue) does not name a flag")
                continue
            }
            #expect(
                flags.contains { $0 == flag || $0.hasPrefix(flag + "=") },
                "\(issue) names \(flag), not one of the flags given")
        }
    }

    @Test("a bad value in the file names the file and the line")
    func badValueInFile() throws {
        let path = try TestSupport.write("# header\n\nlog-level = \"loud\"\n")
        let issue = TestSupport.singleIssue(flags: ["--config", path])
        #expect(issue?.key == "log-level")
        #expect(issue?.source == .file(path: path, line: 3))
        #expect(
            issue?.description
                == "log-level (\(path):3): 'loud' is not a log level "
                + "(expected one of trace, debug, info, notice, warning, error)")
    }

    @Test("a bad environment variable names the variable")
    func badValueInEnvironment() {
        let issue = TestSupport.singleIssue(environment: ["ANNUAIRE_LISTEN": "ldap://127.0.0.1:1389,ftp://x:21"])
        #expect(issue?.key == "listen")
        #expect(issue?.source == .environment(variable: "ANNUAIRE_LISTEN"))
        #expect(issue?.message.contains("'ftp://x:21': scheme 'ftp' is not ldap or ldaps") == true)
        #expect(issue?.description.hasPrefix("listen (environment variable ANNUAIRE_LISTEN): ") == true)
    }

    @Test("a bad ANNUAIRE_INDEX names the variable")
    func badIndexInEnvironment() {
        let issue = TestSupport.singleIssue(environment: ["ANNUAIRE_INDEX": "uid=eq;mail"])
        #expect(issue?.key == "index")
        #expect(issue?.source == .environment(variable: "ANNUAIRE_INDEX"))
    }

    @Test("unknown keys in the file are errors, with a suggestion when one is close")
    func unknownKeys() throws {
        let issues = TestSupport.issues(file: "data_dir = \"x\"\nlistn = []\nfrobnicate = 1\n[acl]\na = 1\nb = 2\n")
        let messages = issues.map(\.message)
        #expect(
            messages == [
                "unknown key 'data_dir' (did you mean 'data-dir'?)",
                "unknown key 'listn' (did you mean 'listen'?)",
                "unknown key 'frobnicate'",
                "unknown table [acl] (the only table is [index])",
            ])
        let lines = issues.compactMap { issue -> Int? in
            if case .file(_, let line) = issue.source { return line }
            return nil
        }
        #expect(lines == [1, 2, 3, 5])
    }

    @Test("a top-level key written after [index] is caught")
    func topLevelKeyInIndexTable() {
        let issue = TestSupport.singleIssue(file: "[index]\nuid = [\"eq\"]\nlog-level = \"debug\"\n")
        #expect(issue?.key == "index")
        #expect(issue?.message.contains("move it above [index]") == true)
    }

    @Test(
        "values of the wrong type in the file",
        arguments: [
            ("data-dir = 5", "data-dir", "expected a string, found an integer"),
            ("listen = 5", "listen", "expected an array of strings, found an integer"),
            ("listen = [1]", "listen", "found an integer in it"),
            ("map-size = [\"1GiB\"]", "map-size", "expected a size"),
            ("max-filter-depth = \"x\"", "max-filter-depth", "is not an integer"),
            ("index = [\"uid\"]", "index", "the index is a table"),
            ("require-tls-for-passwords = 1", "require-tls-for-passwords", "expected true or false"),
            ("size-limit = true", "size-limit", "expected an integer, found a boolean"),
            ("listen = true", "listen", "expected an array of strings, found a boolean"),
            ("[index]\nuid = 1", "index", "found an integer"),
            ("[index]\nuid = [1]", "index", "found an integer in it"),
        ])
    func wrongTypes(text: String, key: String, fragment: String) {
        let issues = TestSupport.issues(file: text)
        #expect(issues.contains { $0.key == key && $0.message.contains(fragment) }, "\(issues)")
    }

    @Test("the files a configuration names must exist, be readable and hold what they should")
    func files() throws {
        let directory = try TestSupport.temporaryDirectory()
        let empty = try TestSupport.write("  \n", name: "empty", in: directory)
        let password = try TestSupport.write("{SSHA}abc\n", name: "pw", in: directory)
        let notPEM = try TestSupport.write("hello\n", name: "cert.txt", in: directory)
        let certificate = try TestSupport.write(
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", name: "c.pem", in: directory)
        let key = try TestSupport.write(
            "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", name: "k.pem", in: directory)

        let valid = try TestSupport.load(flags: [
            "--root-password-file", password, "--tls-certificate", certificate, "--tls-key", key,
            "--tls-ca-file", certificate, "--data-dir", directory + "/data/sub",
        ])
        #expect(valid.configuration.tlsKey == key)
        #expect(valid.configuration.dataDirectory == directory + "/data/sub")

        #expect(TestSupport.singleIssue(flags: ["--root-password-file", empty])?.message == "'\(empty)' is empty")
        #expect(
            TestSupport.singleIssue(flags: ["--root-password-file", directory])?.message
                == "'\(directory)' is a directory, not a file")
        let wrongCertificate = TestSupport.singleIssue(flags: ["--tls-certificate", notPEM, "--tls-key", key])
        #expect(wrongCertificate?.key == "tls-certificate")
        #expect(wrongCertificate?.message.contains("holds no PEM certificate") == true)
        let certificateAsKey = TestSupport.singleIssue(flags: [
            "--tls-certificate", certificate, "--tls-key", certificate,
        ])
        #expect(certificateAsKey?.key == "tls-key")
        #expect(certificateAsKey?.message.contains("holds no PEM private key") == true)
        #expect(
            TestSupport.singleIssue(flags: ["--tls-key", key])?.message.contains("tls-certificate is not set") == true)
        #expect(TestSupport.singleIssue(flags: ["--tls-ca-file", key])?.key == "tls-ca-file")
        #expect(
            TestSupport.singleIssue(flags: ["--data-dir", certificate])?.message.contains("not a directory") == true)
        let underFile = TestSupport.singleIssue(flags: ["--data-dir", certificate + "/data"])
        #expect(underFile?.message == "'\(certificate)/data' cannot be created: '\(certificate)' is not a directory")
    }

    @Test("every problem is reported in one run")
    func allProblemsAtOnce() {
        let issues = TestSupport.issues(
            file: "log-level = \"x\"\n",
            environment: ["ANNUAIRE_MAX_FILTER_DEPTH": "0"],
            flags: ["--listen", "ftp://a:1"])
        #expect(Set(issues.compactMap(\.key)) == ["log-level", "max-filter-depth", "listen"])
    }

    @Test("a DN-valued suffix other than dc= works, and root-dn compares case-insensitively")
    func distinguishedNames() throws {
        let loaded = try TestSupport.load(flags: ["--suffix", "o=Example", "--root-dn", "CN=Manager,O=EXAMPLE"])
        #expect(loaded.configuration.rootDN.description == "CN=Manager,O=EXAMPLE")
    }
}

import Testing

@testable import LoadGenerator

@Suite struct CredentialsTests {
    @Test func parsesTheDemoDataFormat() throws {
        let text = """
            monitor\tuid=monitor,ou=admins,dc=x\tpw-1\tmonitor
            jean.simon\tuid=jean.simon,ou=people,dc=x\tBalcon-Berger-68\tprincipal-manager

            anne.roy\tuid=anne.roy,ou=people,dc=x\tpass word\tperson\r

            """
        let accounts = try Credentials.parse(text)
        #expect(accounts.count == 3)
        #expect(accounts[1] == BenchAccount(
            identifier: "jean.simon", dn: "uid=jean.simon,ou=people,dc=x", password: "Balcon-Berger-68",
            role: "principal-manager"))
        #expect(accounts[2].password == "pass word")
        #expect(accounts[2].role == "person")
    }

    @Test func peopleLeaveOutServiceAccounts() throws {
        let accounts = try Credentials.parse("m\tuid=m\tp\tmonitor\np\tuid=p\tp\tportal\na\tuid=a\tp\tperson\n")
        #expect(Credentials.people(accounts).map(\.identifier) == ["a"])
        let onlyService = try Credentials.parse("m\tuid=m\tp\tmonitor\n")
        #expect(Credentials.people(onlyService).map(\.identifier) == ["m"])
    }

    @Test func wrongFieldCountNamesTheLine() {
        #expect(throws: CredentialsError(
            "file line 2: expected identifier<TAB>dn<TAB>password<TAB>role, found 3 fields")) {
            try Credentials.parse("a\tuid=a\tp\tperson\nb\tuid=b\tp\n", source: "file")
        }
        #expect(throws: CredentialsError(
            "file line 1: expected identifier<TAB>dn<TAB>password<TAB>role, found 1 field")) {
            try Credentials.parse("just text\n", source: "file")
        }
    }

    @Test func emptyFieldsAndEmptyFilesAreRefused() {
        #expect(throws: CredentialsError("c line 1: the identifier, DN and password must not be empty")) {
            try Credentials.parse("a\tuid=a\t\tperson\n", source: "c")
        }
        #expect(throws: CredentialsError("c: no accounts")) { try Credentials.parse("\n\n", source: "c") }
    }

    @Test func unreadableFileIsAnErrorNotACrash() {
        #expect(throws: CredentialsError.self) { try Credentials.load(path: "/nonexistent/credentials.tsv") }
        #expect(throws: CredentialsError.self) { try Credentials.load(path: "/") }
    }
}

import Testing

@testable import LoadGenerator

@Suite struct SettingsTests {
    @Test func urls() throws {
        #expect(try BenchURL(parsing: "ldap://127.0.0.1:3890") == BenchURL(host: "127.0.0.1", port: 3890, tls: false))
        #expect(try BenchURL(parsing: "ldaps://localhost") == BenchURL(host: "localhost", port: 636, tls: true))
        #expect(try BenchURL(parsing: "LDAP://[::1]:389/") == BenchURL(host: "::1", port: 389, tls: false))
        #expect(try BenchURL(parsing: "ldap://host").port == 389)
        for bad in ["http://x", "ldap://", "ldap://h:0", "ldap://h:70000", "ldap://h:x", "ldap://h/dc=x", "ldap://[::1"] {
            #expect(throws: BenchSettingsError.self) { try BenchURL(parsing: bad) }
        }
    }

    @Test func validation() throws {
        let url = try BenchURL(parsing: "ldap://127.0.0.1:3890")
        func settings(_ change: (inout BenchSettings) -> Void) -> BenchSettings {
            var value = BenchSettings(url: url, workload: .searchUID, connections: 2, depth: 2, duration: 1)
            change(&value)
            return value
        }
        try settings { _ in }.validate()
        #expect(throws: BenchSettingsError("--connections must be 1 to 10000, not 0")) {
            try settings { $0.connections = 0 }.validate()
        }
        #expect(throws: BenchSettingsError("--depth must be 1 to 1000, not -1")) {
            try settings { $0.depth = -1 }.validate()
        }
        #expect(throws: BenchSettingsError.self) { try settings { $0.duration = 0 }.validate() }
        #expect(throws: BenchSettingsError.self) { try settings { $0.duration = .nan }.validate() }
        #expect(throws: BenchSettingsError.self) { try settings { $0.warmup = -1 }.validate() }
        #expect(throws: BenchSettingsError("--bind-dn and --password go together")) {
            try settings { $0.bindDN = "cn=admin" }.validate()
        }
        #expect(throws: BenchSettingsError.self) { try settings { $0.workload = .modify }.validate() }
        #expect(throws: BenchSettingsError.self) {
            try settings { $0.workload = .bind; $0.connections = 5_000; $0.depth = 3 }.validate()
        }
        try settings { $0.workload = .mixed; $0.bindDN = "cn=admin"; $0.password = "x" }.validate()
    }
}

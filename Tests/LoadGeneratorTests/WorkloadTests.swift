import Testing

@testable import LoadGenerator

@Suite struct WorkloadTests {
    @Test func singleWorkloadsAlwaysPickTheirOperation() {
        var random = SplitMix64(seed: 42)
        for (workload, kind) in [
            (Workload.searchUID, OperationKind.searchUID), (.bind, .bind), (.login, .login), (.modify, .modify),
        ] {
            let picker = WorkloadPicker(workload)
            for _ in 0..<1_000 { #expect(picker.next(using: &random) == kind) }
        }
    }

    @Test func mixedIs90PercentLogin9Search1Modify() {
        var random = SplitMix64(seed: 7)
        let picker = WorkloadPicker(.mixed)
        var counts: [OperationKind: Int] = [:]
        let draws = 200_000
        for _ in 0..<draws { counts[picker.next(using: &random), default: 0] += 1 }
        #expect(counts[.bind] == nil)
        // Binomial standard deviations at 200,000 draws: about 134, 128 and 44; the bounds are 5 of them.
        #expect(abs((counts[.login] ?? 0) - 180_000) < 700)
        #expect(abs((counts[.searchUID] ?? 0) - 18_000) < 650)
        #expect(abs((counts[.modify] ?? 0) - 2_000) < 230)
    }

    @Test func accountsAreDrawnUniformlyAndInRange() {
        var random = SplitMix64(seed: 3)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[WorkloadPicker.accountIndex(count: 10, using: &random)] += 1 }
        for count in counts { #expect(abs(count - 10_000) < 500) }
        for _ in 0..<100 { #expect(WorkloadPicker.accountIndex(count: 1, using: &random) == 0) }
    }

    @Test func sameSeedSameSequence() {
        var a = SplitMix64(seed: 99)
        var b = SplitMix64(seed: 99)
        let picker = WorkloadPicker(.mixed)
        for _ in 0..<1_000 { #expect(picker.next(using: &a) == picker.next(using: &b)) }
    }

    @Test func workloadsThatBindUsersHaveOneRequestPerConnection() throws {
        let url = try BenchURL(parsing: "ldap://127.0.0.1:3890")
        let bind = BenchSettings(url: url, workload: .bind, connections: 8, depth: 4, duration: 1)
        #expect(bind.slotCount == 32)
        #expect(bind.requestsPerSlot == 1)
        let search = BenchSettings(url: url, workload: .searchUID, connections: 8, depth: 4, duration: 1)
        #expect(search.slotCount == 8)
        #expect(search.requestsPerSlot == 4)
    }
}

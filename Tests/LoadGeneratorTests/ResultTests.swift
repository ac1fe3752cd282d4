import Testing

@testable import LoadGenerator

@Suite struct ResultTests {
    @Test func resultLineHasTheContractFields() {
        let result = BenchResult(
            workload: .searchUID, operations: 123_456, seconds: 20.0004, p50Milliseconds: 0.2346,
            p99Milliseconds: 1.5, errors: 0)
        #expect(result.resultLine
            == "RESULT workload=search-uid ops=123456 seconds=20.000 ops_per_s=6172.7 p50_ms=0.235 p99_ms=1.500 errors=0")
    }

    @Test func resultLineWithoutOperations() {
        let result = BenchResult(
            workload: .mixed, operations: 0, seconds: 2, p50Milliseconds: 0, p99Milliseconds: 0, errors: 17)
        #expect(result.resultLine
            == "RESULT workload=mixed ops=0 seconds=2.000 ops_per_s=0.0 p50_ms=0.000 p99_ms=0.000 errors=17")
    }

    @Test func cpuPerThousandCountsEveryOperation() {
        let result = BenchResult(
            workload: .bind, operations: 1_500, seconds: 1, p50Milliseconds: 1, p99Milliseconds: 2, errors: 500,
            cpuUserSeconds: 0.3, cpuSystemSeconds: 0.1)
        #expect(result.cpuLine == "GENERATOR cpu_s_per_1k_ops=0.2000 user_s=0.300 system_s=0.100")
    }

    @Test func fixedFormatting() {
        #expect(BenchResult.fixed(0.0005, 3) == "0.001")
        #expect(BenchResult.fixed(12.0, 1) == "12.0")
        #expect(BenchResult.fixed(-1.25, 1) == "-1.3")
        #expect(BenchResult.fixed(.infinity, 2) == "0")
        #expect(BenchResult.fixed(7, 0) == "7")
    }

    @Test func statisticsMergeKeepsFirstSeenOrderAndPercentiles() {
        var a = BenchStatistics()
        for micros in 1...100 { a.recordSuccess(nanoseconds: UInt64(micros) * 1_000) }
        a.recordError("bind: invalidCredentials (49)")
        var b = BenchStatistics()
        b.recordError("search-uid: 0 entries instead of 1")
        b.recordError("bind: invalidCredentials (49)")
        b.recordSuccess(nanoseconds: 10_000_000_000_000)  // beyond an hour: clamped, not lost
        a.merge(b)
        #expect(a.successes == 101)
        #expect(a.errors == 3)
        #expect(a.errorOrder == ["bind: invalidCredentials (49)", "search-uid: 0 entries instead of 1"])
        #expect(a.errorCounts["bind: invalidCredentials (49)"] == 2)
        #expect(abs(a.milliseconds(atPercentile: 50) - 0.051) < 0.002)
        #expect(BenchStatistics().milliseconds(atPercentile: 99) == 0)
    }
}

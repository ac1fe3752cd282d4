import Directory
import DomainRules
import LDAPProtocol
import NIOCore
import Schema
import Storage
import Testing

/// Issue 7 point 7: an add of a person costs at most twice an add with the rules off. Two stores filled side by
/// side, in interleaved rounds so that machine noise hits both; the medians of the rounds are compared.
@Suite("Domain rules: the cost of an add")
struct DomainRuleCostTests {
    @Test func anAddWithTheRulesCostsLessThanTwiceOneWithout() throws {
        let withRules = try TestDirectory()
        let without = try TestDirectory()
        var configuration = without.service.configuration
        configuration.domainRules = .off
        let lenient = DirectoryService(store: without.store, configuration: configuration)
        let clock = ContinuousClock()
        var ratios: [Double] = []
        var onTimes: [Duration] = []
        var offTimes: [Duration] = []
        let perRound = 200
        for round in 0..<7 {
            func requests() -> [AddRequest] {
                (0..<perRound).map { index in
                    let identifier = "p\(round)x\(index)-xt"
                    return AddRequest(
                        entry: ByteBuffer(string: "uid=\(identifier),\(peopleDN)"),
                        attributes: DomainRuleTests.person(identifier, [("mobile", ["06 12 34 56 78"])])
                            .map { PartialAttribute($0.0, $0.1) })
                }
            }
            let batch = requests()
            let on = try clock.measure {
                for request in batch {
                    try expectSuccess(withRules.perform(.addRequest(request), as: .root).outcome)
                }
            }
            let off = try clock.measure {
                for request in batch {
                    try expectSuccess(
                        lenient.perform(
                            LDAPMessage(messageID: 1, protocolOp: .addRequest(request)), connection: .root,
                            cancellation: OperationCancellation(), send: { _ in }))
                }
            }
            onTimes.append(on)
            offTimes.append(off)
            ratios.append(on / off)
        }
        let median = ratios.sorted()[ratios.count / 2]
        func microseconds(_ total: Duration) -> Int { Int((total / perRound) / .microseconds(1)) }
        print(
            "domain rules: an add of a person takes \(microseconds(onTimes.sorted()[3])) µs with the rules, "
                + "\(microseconds(offTimes.sorted()[3])) µs without (median round ratio \(median))")
        #expect(median < 2.0)
    }
}

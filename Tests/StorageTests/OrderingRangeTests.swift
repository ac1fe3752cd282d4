import LDAPProtocol
import Schema
import Testing

@testable import Storage

/// `(&(a>=x)(a<=y))` on an ordering-indexed attribute: one bounded scan of the index, not two scans of
/// everything above x and below y (the password-expiry notices ask this of pwdChangedTime).
@Suite("Ordering ranges")
struct OrderingRangeTests {
    @Test("a window of 3 days among 200 gives exactly its entries as candidates, in one bounded scan")
    func boundedScan() throws {
        try withStore { store in
            for number in 0..<200 {
                let day = number % 28 + 1
                let changed = "202403" + (day < 10 ? "0" : "") + "\(day)120000Z"
                try store.add(person("p\(number)", extra: [("pwdChangedTime", [changed])]))
            }
            let filter = try Filter(
                string: "(&(objectClass=person)(pwdChangedTime>=20240310000000Z)(pwdChangedTime<=20240312235959Z))")
            let result = try store.search(base: dn("dc=example,dc=com"), scope: .wholeSubtree, filter: filter)
            let expected = (0..<200).filter { (10...12).contains($0 % 28 + 1) }.count
            #expect(result.entries.count == expected)
            #expect(result.explanation.candidateCount == expected)
            #expect(result.explanation.entriesExamined == expected)
            #expect(result.explanation.indexesUsed.contains { $0.hasPrefix("ord:") && $0.contains("..") })
            #expect(!result.explanation.indexesUsed.contains { $0.contains(">=") || $0.contains("<=") })

            // Bounds are inclusive; an empty window and a reversed one find nothing.
            let exact = try store.search(
                base: dn("dc=example,dc=com"), scope: .wholeSubtree,
                filter: Filter(string: "(&(pwdChangedTime>=20240305120000Z)(pwdChangedTime<=20240305120000Z))"))
            #expect(exact.entries.count == (0..<200).filter { $0 % 28 + 1 == 5 }.count)
            let reversed = try store.search(
                base: dn("dc=example,dc=com"), scope: .wholeSubtree,
                filter: Filter(string: "(&(pwdChangedTime<=20240301000000Z)(pwdChangedTime>=20240320000000Z))"))
            #expect(reversed.entries.isEmpty)
        }
    }
}

/// What ``StoreVerifier/verify()`` found in one snapshot of a store.
package struct VerificationReport: Sendable {
    /// The findings, in the order found, at most ``StoreVerifier/maximumFindings`` of them.
    package var findings: [VerificationFinding] = []
    /// How many findings of each kind there were, kept or not.
    package var counts: [VerificationFinding.Kind: Int] = [:]
    /// The LMDB transaction (snapshot) that was read.
    package var transactionID = 0
    /// Records in `entries`.
    package var entries = 0
    /// Index databases checked (those of the recorded configuration that exist).
    package var indexDatabases = 0
    /// Index key/id pairs checked (expected from the entries).
    package var indexPairs = 0
    /// Counters compared.
    package var counters = 0
    /// Whether the store was recorded with another index configuration than the one given to the verifier
    /// (`reindex()` pending): not an inconsistency; the recorded one is what was checked.
    package var isReindexPending = false
    /// How long the check took, in seconds.
    package var seconds = 0.0

    /// Makes an empty report.
    package init() {}

    /// Whether nothing was found.
    package var isClean: Bool { counts.isEmpty }

    /// Every finding, kept or not.
    package var totalFindings: Int { counts.values.reduce(0, +) }

    /// Findings found but not kept (beyond the limit).
    package var omittedFindings: Int { totalFindings - findings.count }

    /// The kept findings of `kind`.
    package func findings(of kind: VerificationFinding.Kind) -> [VerificationFinding] {
        findings.filter { $0.kind == kind }
    }

    /// `clean: 12 entries, …` or `3 inconsistencies (missing-index-key 2, orphan 1): …`.
    package var summary: String {
        let figures =
            "\(entries) entries, \(indexDatabases) index databases, \(indexPairs) index keys, \(counters) counters "
            + "checked in \(Self.format(seconds)) s (transaction \(transactionID))"
        if isClean { return "clean: " + figures }
        let kinds = counts.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
        let noun = totalFindings == 1 ? "inconsistency" : "inconsistencies"
        return "\(totalFindings) \(noun) (\(kinds.joined(separator: ", "))): " + figures
    }

    static func format(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

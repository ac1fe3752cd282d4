/// Collects findings for ``StoreVerifier``: counts every one, keeps the first `limit`.
struct VerificationRecorder {
    let limit: Int
    var report = VerificationReport()

    init(limit: Int) {
        self.limit = limit
    }

    mutating func record(_ finding: VerificationFinding) {
        report.counts[finding.kind, default: 0] += 1
        if report.findings.count < limit { report.findings.append(finding) }
    }

    mutating func record(
        _ kind: VerificationFinding.Kind, database: String, key: String, id: EntryID? = nil, dn: String? = nil,
        detail: String
    ) {
        record(VerificationFinding(kind, database: database, key: key, id: id, dn: dn, detail: detail))
    }
}

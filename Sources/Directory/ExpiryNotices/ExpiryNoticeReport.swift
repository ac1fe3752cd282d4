/// The counts of one run of the notices.
package struct ExpiryNoticeReport: Equatable, Sendable, CustomStringConvertible {
    /// People whose password expires within a threshold (a notice is owed).
    package var found = 0
    /// Notices sent this run (or, in a dry run, that would be).
    package var sent = 0
    /// Notices already sent by an earlier run (the ledger has them).
    package var alreadySent = 0
    /// Notices whose sending failed (not recorded: tried again next run).
    package var failed = 0
    /// People who have no `mail` to warn.
    package var skippedWithoutMail = 0
    /// Entries the index gave as candidates (the work the search did).
    package var candidatesExamined = 0

    /// Makes an empty report.
    package init() {}

    /// `found=3 sent=2 already-sent=1 failed=0 skipped-without-mail=0`.
    package var description: String {
        "found=\(found) sent=\(sent) already-sent=\(alreadySent) failed=\(failed) "
            + "skipped-without-mail=\(skippedWithoutMail) candidates=\(candidatesExamined)"
    }
}

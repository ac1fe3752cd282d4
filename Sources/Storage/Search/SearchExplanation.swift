import LDAPProtocol

/// How a search was answered: which indexes gave candidates, which filter items could not use one, how many
/// candidates and scope entries there were, and how many entries were read and evaluated. For tests, and later
/// for the access log.
package struct SearchExplanation: Hashable, Sendable {
    /// The scope asked for.
    package var scope: SearchRequest.Scope
    /// The index databases read, with the key looked up (`eq:2.5.4.3 = "babs"`, `ord:… >= …`).
    package var indexesUsed: [String] = []
    /// Filter items that fell back to the scope, and why (`NOT`, `no eq index on 2.5.4.13`…).
    package var unindexed: [String] = []
    /// The candidates the indexes gave; `nil` when they gave none (the scope decided).
    package var candidateCount: Int?
    /// Whether the indexes were consulted at all (not while a reindex is being switched over).
    package var indexesConsulted = true
    /// Entries read from `entries` and evaluated against the filter.
    package var entriesExamined = 0
    /// Entries returned.
    package var entriesReturned = 0

    /// An explanation for `scope`, before the search.
    package init(scope: SearchRequest.Scope) {
        self.scope = scope
    }
}

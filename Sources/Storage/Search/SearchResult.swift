import Schema

/// The answer of ``DirectoryStore/search(base:scope:filter:sizeLimit:)``.
package struct SearchResult: Sendable {
    /// The matching entries with their ids, at most `sizeLimit` of them.
    package var entries: [(id: EntryID, entry: Entry)]
    /// Whether more entries matched than `sizeLimit` allowed (the operation then answers sizeLimitExceeded
    /// with the entries found).
    package var sizeLimitExceeded: Bool
    /// How the search was answered.
    package var explanation: SearchExplanation
}

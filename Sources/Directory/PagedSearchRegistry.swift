import LDAPProtocol
import NIOConcurrencyHelpers
import Storage

/// The paged searches (RFC 2696) in progress on one connection, by cookie. The Directory module owns what a
/// page state holds; the server only makes one registry per connection and drops it with the connection.
package final class PagedSearchRegistry: Sendable {
    let states = NIOLockedValueBox([UInt64: PagedSearchState]())

    /// Makes an empty registry.
    package init() {}

    /// How many paged searches are in progress.
    package var count: Int { states.withLockedValue { $0.count } }

    /// Forgets every paged search (connection closing, rebind).
    package func removeAll() { states.withLockedValue { $0.removeAll() } }
}

/// What a paged search remembers between pages: the candidate ids listed by its first page and where the next
/// page starts. Each page reads its entries by id in a fresh read transaction and evaluates the filter again, so
/// it sees the entries as they are then (deleted ones are skipped).
struct PagedSearchState: Sendable {
    /// The normalised key of the search base and the scope: a cookie continues only the same search.
    var baseKey: [UInt8]
    var scope: SearchRequest.Scope
    /// The candidates in scope, in evaluation order.
    var ids: [EntryID]
    /// The index in `ids` of the first candidate of the next page.
    var position: Int
    /// Entries returned by the previous pages (the size limit counts the whole search).
    var returned: Int
    /// When the state was stored, to forget the oldest first.
    var sequence: UInt64
}

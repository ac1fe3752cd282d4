import AccessControl
import LDAPProtocol
import Schema
import Storage

/// One pass of a search over candidate ids: reads them in one read transaction, evaluates the filter, sends
/// each matching entry at once, and stops at the page size, the size limit, the time limit or an abandon.
/// Access control: an entry the subject may not `read` is skipped silently (it is neither evaluated nor
/// counted), filter items on attributes it may not `search` are Undefined (``ProtectedFilter``), attributes
/// it may not `read` are left out.
struct SearchScan {
    enum Ending {
        /// Every candidate was read.
        case completed
        /// A page is full and a further entry matches (`next` is its index).
        case pageFull
        case sizeLimitExceeded
        case timeLimitExceeded
        case cancelled
    }

    var filter: ProtectedFilter
    let renderer: EntryRenderer
    let selection: AttributeSelection
    let typesOnly: Bool
    /// Whether filter evaluation needs the computed attributes.
    let filterReadsComputed: Bool
    /// Whether rendering or the filter needs each entry's number of children.
    let countsChildren: Bool
    let policy: AccessPolicy
    let subject: AccessSubject
    /// Decisions and DN keys remembered from one entry to the next (one search, one subject).
    let accessCache: AccessCache
    let messageID: Int32

    /// The entries sent.
    private(set) var sent = 0
    /// The index (in the ids scanned) of the candidate to read next.
    private(set) var next = 0
    private(set) var ending = Ending.completed

    /// Scans `ids` (a slice of the candidates, indices kept). `maximum`: entries that may still be sent (0: no
    /// limit); `pageSize`: entries of this page (0: no page); `deadline`: monotonic nanoseconds (nil: none).
    mutating func run(
        _ ids: ArraySlice<EntryID>,
        store: DirectoryStore,
        maximum: Int,
        pageSize: Int,
        deadline: Int64?,
        clock: DirectoryClock,
        cancellation: OperationCancellation,
        send: (LDAPMessage) -> Void
    ) throws(StoreError) {
        next = ids.startIndex
        ending = .completed
        var position = ids.startIndex
        let pageSize = pageSize
        try store.readEntries(ids, countingChildren: countsChildren) { id, entry, children in
            while position < ids.endIndex && ids[position] != id { position += 1 }
            next = position
            if cancellation.isCancelled {
                ending = .cancelled
                return .stop
            }
            if let deadline, clock.monotonicNanoseconds() > deadline {
                ending = .timeLimitExceeded
                return .stop
            }
            let access = policy.access(to: entry, as: subject, cache: accessCache)
            let evaluated = filterReadsComputed ? renderer.withComputed(entry, children: children) : entry
            guard access.allows(.read, .entry), filter.prepared(for: entry, access: access).matches(evaluated) else {
                next = position + 1
                return .next
            }
            if pageSize > 0 && sent == pageSize {
                ending = .pageFull
                return .stop
            }
            if maximum > 0 && sent == maximum {
                ending = .sizeLimitExceeded
                return .stop
            }
            let rendered = renderer.render(
                entry, children: children, selection: selection, typesOnly: typesOnly,
                access: access)
            send(LDAPMessage(messageID: messageID, protocolOp: .searchResultEntry(rendered)))
            sent += 1
            next = position + 1
            return .next
        }
        if case .completed = ending { next = ids.endIndex }
    }
}

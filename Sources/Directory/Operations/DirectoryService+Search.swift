import AccessControl
import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// Search (RFC 4511 §4.5): the root DSE and `cn=Subschema` at base scope, otherwise the store's entries,
    /// sent as they are found. Limits: min(client, server) for size and time (the root DN: the client's only);
    /// sizeLimitExceeded/timeLimitExceeded with the entries sent so far. An abandoned search sends nothing more
    /// and has no response. Paged results (RFC 2696) and the assertion control (RFC 4528 §3: evaluated on the
    /// base object before the search, as slapd does) apply.
    func search(
        _ search: SearchRequest, _ request: Request, cancellation: OperationCancellation,
        send: (LDAPMessage) -> Void
    ) -> OperationOutcome {
        let baseText = String(buffer: search.baseObject)
        let details = "scope=\(search.scope.rawValue) filter=\"\(search.filter.stringRepresentation)\""
        do throws(OperationError) {
            let controls = try RequestControls(request.message.controls, for: .search)
            let base = try parseDN(search.baseObject, "the search base")
            let selection = AttributeSelection(search.attributes, context: context)
            let subject = subject(of: request.connection)
            if base.isRoot || comparator.same(base, subschema.name) {
                let fixed = base.isRoot ? rootDSE.fixed : subschema.fixed
                // A fixed entry the subject may not disclose is answered as missing, like any other.
                guard policy.allows(.disclose, .entry, of: fixed.entry, as: subject) else {
                    throw OperationError(.noSuchObject, "no such object")
                }
                return searchFixed(
                    fixed, search, request, controls: controls, selection: selection,
                    access: policy.access(to: fixed.entry, as: subject), details: details, send: send)
            }
            let identity = request.connection.identity
            // The base must be visible: noSuchObject, as for a missing one, otherwise (docs/access-control.md).
            // One cache for the base and the entries: they share parents and, at base scope, the entry.
            let accessCache = AccessCache()
            let found = try visibleEntry(base, subject: subject, cache: accessCache)
            if let assertion = controls.assertion {
                let evaluated = renderer.withComputed(found.entry, children: found.children)
                guard PreparedFilter(assertion, context: context).matches(evaluated) else {
                    throw OperationError(.assertionFailed, "the assertion control's filter does not match the base")
                }
            }
            let ids = try storeCall { () throws(StoreError) in
                try store.candidateIDs(base: base, scope: search.scope, filter: search.filter)
            }
            let computed = operational.computedIDs
            let readsComputed = FilterInspection.reads(search.filter, anyOf: computed, context: context)
            var scan = SearchScan(
                filter: ProtectedFilter(search.filter, context: context), renderer: renderer, selection: selection,
                typesOnly: search.typesOnly, filterReadsComputed: readsComputed,
                countsChildren: readsComputed || selection.selectsAny(of: computed, context: context),
                policy: policy, subject: subject, accessCache: accessCache,
                messageID: request.message.messageID)
            let limits = SearchLimits(search, identity: identity, configuration: configuration)
            let deadline = limits.time > 0 ? configuration.clock.monotonicNanoseconds() + Int64(limits.time) * 1_000_000_000 : nil
            if let paged = controls.paged {
                return try pagedSearch(
                    paged, base: base, search, request, ids: ids, scan: &scan, limits: limits, deadline: deadline,
                    cancellation: cancellation, details: details, send: send)
            }
            try storeCall { () throws(StoreError) in
                try scan.run(
                    ids[...], store: store, maximum: limits.size, pageSize: 0, deadline: deadline,
                    clock: configuration.clock, cancellation: cancellation, send: send)
            }
            return finish(scan, request, baseText: baseText, details: details, controls: [])
        } catch {
            var outcome = failure(.search, request, dn: baseText, error)
            outcome.log.details = details
            return outcome
        }
    }

    /// The root DSE or the subschema subentry: base scope only (noSuchObject otherwise, as slapd answers).
    private func searchFixed(
        _ fixed: FixedEntry, _ search: SearchRequest, _ request: Request, controls: RequestControls,
        selection: AttributeSelection, access: EntryAccess, details: String, send: (LDAPMessage) -> Void
    ) -> OperationOutcome {
        let baseText = String(buffer: search.baseObject)
        guard search.scope == .baseObject else {
            var outcome = failure(
                .search, request, dn: baseText, OperationError(.noSuchObject, "no entry below '\(baseText)'"))
            outcome.log.details = details
            return outcome
        }
        if let assertion = controls.assertion, !fixed.matches(assertion, context: context) {
            let error = OperationError(.assertionFailed, "the assertion control's filter does not match the base")
            var outcome = failure(.search, request, dn: baseText, error)
            outcome.log.details = details
            return outcome
        }
        var returned = 0
        if access.allows(.read, .entry), fixed.matches(search.filter, context: context, access: access) {
            let entry = fixed.render(selection: selection, typesOnly: search.typesOnly, context: context, access: access)
            send(LDAPMessage(messageID: request.message.messageID, protocolOp: .searchResultEntry(entry)))
            returned = 1
        }
        let control = controls.paged.map { _ in PagedResultsControl(size: 0).control() }
        return OperationOutcome(
            response: response(.search, request, LDAPResult(.success), controls: control.map { [$0] } ?? []),
            log: AccessLogFields(
                operation: "SRCH", dn: baseText, details: details, resultCode: .success, entriesReturned: returned))
    }

    /// One page of a paged search (RFC 2696). A cookie is good for one page of the search that issued it on
    /// this connection; an unknown or reused cookie is a protocolError (slapd: "paged results cookie is
    /// invalid"); a page size of 0 with a cookie abandons the search.
    private func pagedSearch(
        _ paged: PagedResultsControl, base: DistinguishedName, _ search: SearchRequest, _ request: Request,
        ids: [EntryID], scan: inout SearchScan, limits: SearchLimits, deadline: Int64?,
        cancellation: OperationCancellation, details: String, send: (LDAPMessage) -> Void
    ) throws(OperationError) -> OperationOutcome {
        let registry = request.connection.pagedSearches
        let baseKey = comparator.key(base) ?? []
        var state: PagedSearchState
        if paged.cookie.readableBytes > 0 {
            guard paged.cookie.readableBytes == 8, let cookie = paged.cookie.getInteger(at: paged.cookie.readerIndex, as: UInt64.self),
                let stored = registry.take(cookie), stored.baseKey == baseKey, stored.scope == search.scope
            else {
                throw OperationError(.protocolError, "paged results cookie is invalid")
            }
            state = stored
            if paged.size == 0 {
                return finish(
                    scan, request, baseText: String(buffer: search.baseObject), details: details,
                    controls: [PagedResultsControl(size: 0).control()])
            }
        } else {
            state = PagedSearchState(
                baseKey: baseKey, scope: search.scope, ids: ids, position: 0, returned: 0, sequence: 0)
            if paged.size == 0 {
                return finish(
                    scan, request, baseText: String(buffer: search.baseObject), details: details,
                    controls: [PagedResultsControl(size: 0).control()])
            }
        }
        let remaining = limits.size > 0 ? limits.size - state.returned : 0
        if limits.size > 0 && remaining <= 0 {
            throw OperationError(.sizeLimitExceeded, "")
        }
        let page = state.ids[min(state.position, state.ids.count)...]
        try storeCall { () throws(StoreError) in
            try scan.run(
                page, store: store, maximum: remaining, pageSize: Int(paged.size), deadline: deadline,
                clock: configuration.clock, cancellation: cancellation, send: send)
        }
        var cookie = ByteBuffer()
        if case .pageFull = scan.ending {
            state.position = scan.next
            state.returned += scan.sent
            state.sequence = UInt64(clamping: configuration.clock.monotonicNanoseconds())
            let value = registry.store(state, limit: configuration.maximumPagedSearchesPerConnection)
            cookie.writeInteger(value)
        }
        return finish(
            scan, request, baseText: String(buffer: search.baseObject), details: details,
            controls: [PagedResultsControl(size: 0, cookie: cookie).control()])
    }

    /// The outcome once a scan has ended.
    private func finish(
        _ scan: SearchScan, _ request: Request, baseText: String, details: String, controls: [LDAPControl]
    ) -> OperationOutcome {
        let code: ResultCode
        switch scan.ending {
        case .completed, .pageFull: code = .success
        case .sizeLimitExceeded: code = .sizeLimitExceeded
        case .timeLimitExceeded: code = .timeLimitExceeded
        case .cancelled:
            return OperationOutcome(
                response: nil,
                log: AccessLogFields(
                    operation: "SRCH", dn: baseText, details: details, resultCode: .canceled,
                    entriesReturned: scan.sent))
        }
        return OperationOutcome(
            response: response(.search, request, LDAPResult(code), controls: controls),
            log: AccessLogFields(
                operation: "SRCH", dn: baseText, details: details, resultCode: code, entriesReturned: scan.sent))
    }

    var renderer: EntryRenderer { EntryRenderer(context: context, operational: operational) }

    /// Runs a store call, turning its error into the operation's.
    @discardableResult
    func storeCall<T>(_ body: () throws(StoreError) -> T) throws(OperationError) -> T {
        do {
            return try body()
        } catch {
            throw OperationError(error)
        }
    }
}

/// The size and time limits of one search.
struct SearchLimits {
    /// Entries; 0 for none.
    var size: Int
    /// Seconds; 0 for none.
    var time: Int

    /// min(client, server) where 0 means none; the root DN gets the client's limits only (slapd's rootdn).
    init(_ search: SearchRequest, identity: BoundIdentity, configuration: DirectoryConfiguration) {
        func combine(_ client: Int, _ server: Int) -> Int {
            if case .rootDN = identity { return client }
            if client == 0 { return server }
            if server == 0 { return client }
            return min(client, server)
        }
        size = combine(Int(search.sizeLimit), configuration.sizeLimit)
        time = combine(Int(search.timeLimit), configuration.timeLimit)
    }
}

import LDAPProtocol
import Schema

/// What a streaming reader's visitor says after each entry.
package enum StreamingStep: Sendable {
    /// Read the next entry.
    case next
    /// Stop reading (size limit reached, time limit, abandon).
    case stop
}

extension DirectoryStore {
    /// The ids of the entries in `scope` of `base` that the indexes leave as candidates for `filter`, in the
    /// order a search evaluates them (no entry is read and the filter is not evaluated: the caller reads them
    /// with ``readEntries(_:countingChildren:_:)``, possibly over several transactions, as a paged search does).
    /// noSuchObject (with matched DN) when the base does not exist.
    package func candidateIDs(
        base: DistinguishedName, scope: SearchRequest.Scope, filter: Filter
    ) throws(StoreError) -> [EntryID] {
        let baseKey = try keyMaker.key(for: base)
        let active = state.active
        let planner = CandidatePlanner(
            context: context, plan: active.plan, databases: indexDatabases, maxKeySize: environment.maxKeySize)
        return try read { transaction in
            guard let baseID = try tree.id(forKey: baseKey, in: transaction) else {
                throw try noSuchObject(base, in: transaction)
            }
            var explanation = SearchExplanation(scope: scope)
            let generation = try transaction.get(meta, key: StoreLayout.generationKey)
                .flatMap { EntryID(bytes: $0)?.rawValue }
            var candidates = CandidateSet.all
            if generation == active.generation {
                candidates = try planner.candidates(for: filter, in: transaction, explanation: &explanation)
            }
            return try scoped(candidates, base: baseID, scope: scope, in: transaction)
        }
    }

    /// Reads the entries `ids` in one read transaction, in order, handing each to `visit` with its number of
    /// children (when `countingChildren`; 0 otherwise) until `visit` says stop. Ids of entries deleted since
    /// they were listed are skipped. Entries go to the caller as they are read, so a search sends them as
    /// found and checks its limits between two.
    package func readEntries(
        _ ids: some Sequence<EntryID>,
        countingChildren: Bool,
        _ visit: (EntryID, Entry, Int) throws -> StreamingStep
    ) throws(StoreError) {
        try read { transaction in
            for id in ids {
                guard let entry = try load(id, in: transaction) else { continue }
                let children = countingChildren ? try tree.childCount(of: id, in: transaction) : 0
                if case .stop = try visit(id, entry, children) { return }
            }
        }
    }

    /// The entry named `dn` with its id and number of children; noSuchObject with the matched DN when there
    /// is none (Compare, the assertion control, the base of a search).
    package func entryWithChildCount(dn: DistinguishedName) throws(StoreError) -> (id: EntryID, entry: Entry, children: Int) {
        guard !dn.isRoot else { throw StoreError(.noSuchObject, "the root DSE is not stored") }
        let key = try keyMaker.key(for: dn)
        return try read { transaction in
            let id = try resolve(dn, key: key, in: transaction)
            guard let entry = try load(id, in: transaction) else {
                throw StoreError(.other, "entry \(id) of '\(dn)' is missing from the entries database")
            }
            return (id, entry, try tree.childCount(of: id, in: transaction))
        }
    }
}

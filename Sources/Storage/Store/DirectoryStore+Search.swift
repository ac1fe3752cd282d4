import LDAPProtocol
import Schema

extension DirectoryStore {
    /// The entries in `scope` of `base` for which `filter` is TRUE, at most `sizeLimit` of them (0: no limit).
    ///
    /// The indexes give candidates (``CandidatePlanner``); the scope comes from the tree (the base; `children`
    /// of the base; the base's subtree walked through `children`), or, when the candidates are fewer, each
    /// candidate is placed in the scope through `parents`; then every remaining entry is read and the filter
    /// decides (``PreparedFilter``, three-valued). noSuchObject (with matched DN) when the base does not exist;
    /// the root DN as base stands for the parent of the naming contexts (a base-scope search of it finds
    /// nothing here: the root DSE is not stored).
    package func search(
        base: DistinguishedName,
        scope: SearchRequest.Scope,
        filter: Filter,
        sizeLimit: Int = 0
    ) throws(StoreError) -> SearchResult {
        let prepared = PreparedFilter(filter, context: context)
        let baseKey = try keyMaker.key(for: base)
        let active = state.active
        let planner = CandidatePlanner(
            context: context, plan: active.plan, databases: indexDatabases, maxKeySize: environment.maxKeySize)
        return try read { transaction in
            var explanation = SearchExplanation(scope: scope)
            guard let baseID = try tree.id(forKey: baseKey, in: transaction) else {
                throw try noSuchObject(base, in: transaction)
            }
            let generation = try transaction.get(meta, key: StoreLayout.generationKey)
                .flatMap { EntryID(bytes: $0)?.rawValue }
            var candidates = CandidateSet.all
            if generation == active.generation {
                candidates = try planner.candidates(for: filter, in: transaction, explanation: &explanation)
            } else {
                explanation.indexesConsulted = false
            }
            explanation.candidateCount = candidates.count

            let ids = try scoped(candidates, base: baseID, scope: scope, in: transaction)
            var found: [(id: EntryID, entry: Entry)] = []
            var exceeded = false
            for id in ids {
                guard let entry = try load(id, in: transaction) else { continue }
                explanation.entriesExamined += 1
                guard prepared.matches(entry) else { continue }
                if sizeLimit > 0 && found.count == sizeLimit {
                    exceeded = true
                    break
                }
                found.append((id, entry))
            }
            explanation.entriesReturned = found.count
            return SearchResult(entries: found, sizeLimitExceeded: exceeded, explanation: explanation)
        }
    }

    /// The candidates that are in the scope, in the order they will be evaluated (shared by ``search`` and the
    /// streaming reads).
    func scoped(
        _ candidates: CandidateSet,
        base: EntryID,
        scope: SearchRequest.Scope,
        in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws -> [EntryID] {
        switch scope {
        case .baseObject:
            return base != .root && candidates.contains(base) ? [base] : []
        case .singleLevel:
            guard case .ids(let ids) = candidates,
                ids.count < (try tree.childCount(of: base, in: transaction))
            else {
                return try tree.children(of: base, in: transaction).filter(candidates.contains)
            }
            return try ids.filter { try tree.parent(of: $0, in: transaction) == base }
        case .wholeSubtree, .subordinateSubtree:
            let withBase = scope == .wholeSubtree
            guard case .ids(let ids) = candidates else {
                let all = try tree.subtree(of: base, in: transaction)
                return withBase || base == .root ? all : Array(all.dropFirst())
            }
            return try ids.filter { id in
                if id == base { return withBase }
                return try tree.isInSubtree(id, of: base, in: transaction)
            }
        }
    }
}

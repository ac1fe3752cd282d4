/// The index plan in use and the one asked for, behind a lock (``DirectoryStore/reindex()`` switches them).
///
/// `meta` records a generation number with each (re)index; a reader whose snapshot holds another generation
/// than ``active`` does not use the indexes (its snapshot and the plan would disagree).
final class StoreState: @unchecked Sendable {
    struct Active {
        var generation: UInt64
        var plan: IndexPlan
    }

    private let lock = LMDBMutex()
    private var activeValue: Active
    /// The plan of the configuration the store was opened with.
    let requested: IndexPlan

    init(active: Active, requested: IndexPlan) {
        self.activeValue = active
        self.requested = requested
    }

    var active: Active {
        get { lock.withLock { activeValue } }
        set { lock.withLock { activeValue = newValue } }
    }
}

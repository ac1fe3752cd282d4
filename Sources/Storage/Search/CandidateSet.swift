/// The entries a filter may match, as the indexes tell: every entry of the scope (``all``), or a sorted list of
/// ids without duplicates — a superset of the matching entries, which the filter itself then decides.
package enum CandidateSet: Hashable, Sendable {
    /// The indexes cannot narrow the search: every entry of the scope is a candidate.
    case all
    /// These ids, ascending, each once.
    case ids([EntryID])

    /// The empty set.
    static let none = CandidateSet.ids([])

    /// A set from ids in any order, with duplicates.
    static func unsorted(_ ids: [EntryID]) -> CandidateSet {
        var sorted = ids.sorted()
        var write = 0
        for read in sorted.indices where read == 0 || sorted[read] != sorted[write - 1] {
            sorted[write] = sorted[read]
            write += 1
        }
        sorted.removeSubrange(write...)
        return .ids(sorted)
    }

    /// The number of ids; `nil` for ``all``.
    package var count: Int? {
        if case .ids(let ids) = self { return ids.count }
        return nil
    }

    /// AND: the ids in every set. Intersects the smallest sets first and stops once empty.
    static func intersection(_ sets: [CandidateSet]) -> CandidateSet {
        var lists: [[EntryID]] = []
        for set in sets {
            if case .ids(let ids) = set { lists.append(ids) }
        }
        guard !lists.isEmpty else { return .all }
        lists.sort { $0.count < $1.count }
        var result = lists[0]
        for list in lists.dropFirst() {
            if result.isEmpty { break }
            result = intersect(result, list)
        }
        return .ids(result)
    }

    /// OR: the ids in any set; ``all`` when one of them is.
    static func union(_ sets: [CandidateSet]) -> CandidateSet {
        var result: [EntryID] = []
        for set in sets {
            guard case .ids(let ids) = set else { return .all }
            result = merge(result, ids)
        }
        return .ids(result)
    }

    /// Whether `id` is a candidate.
    func contains(_ id: EntryID) -> Bool {
        switch self {
        case .all: return true
        case .ids(let ids):
            var low = 0
            var high = ids.count
            while low < high {
                let middle = (low + high) / 2
                if ids[middle] < id { low = middle + 1 } else { high = middle }
            }
            return low < ids.count && ids[low] == id
        }
    }

    private static func intersect(_ small: [EntryID], _ large: [EntryID]) -> [EntryID] {
        var result: [EntryID] = []
        var left = 0
        var right = 0
        while left < small.count && right < large.count {
            if small[left] == large[right] {
                result.append(small[left])
                left += 1
                right += 1
            } else if small[left] < large[right] {
                left += 1
            } else {
                right += 1
            }
        }
        return result
    }

    private static func merge(_ lhs: [EntryID], _ rhs: [EntryID]) -> [EntryID] {
        if lhs.isEmpty { return rhs }
        if rhs.isEmpty { return lhs }
        var result: [EntryID] = []
        result.reserveCapacity(lhs.count + rhs.count)
        var left = 0
        var right = 0
        while left < lhs.count || right < rhs.count {
            if right == rhs.count || (left < lhs.count && lhs[left] < rhs[right]) {
                result.append(lhs[left])
                left += 1
            } else if left == lhs.count || rhs[right] < lhs[left] {
                result.append(rhs[right])
                right += 1
            } else {
                result.append(lhs[left])
                left += 1
                right += 1
            }
        }
        return result
    }
}

/// A set of rule indices, as bits: the rules that select an entry, the rules that select an attribute type.
/// "The first rule selecting both the entry and the attribute" is then the lowest bit of an intersection,
/// with no allocation for policies of up to 64 rules (the words beyond the first are an array, empty and
/// unallocated until a policy has more rules).
struct RuleMask: Hashable, Sendable {
    /// Rules 0 to 63.
    private var low: UInt64 = 0
    /// Rules 64 and up, 64 to a word; trailing zero words are never stored, so equal sets are equal values.
    private var high: [UInt64] = []

    static let empty = RuleMask()

    init() {}

    /// The rules `0..<count`.
    init(allBelow count: Int) {
        for index in 0..<count { insert(index) }
    }

    var isEmpty: Bool { low == 0 && high.isEmpty }

    func contains(_ index: Int) -> Bool {
        if index < 64 { return low & (1 << UInt64(index)) != 0 }
        let word = index / 64 - 1
        return word < high.count && high[word] & (1 << UInt64(index % 64)) != 0
    }

    mutating func insert(_ index: Int) {
        if index < 64 {
            low |= 1 << UInt64(index)
            return
        }
        let word = index / 64 - 1
        if word >= high.count { high += [UInt64](repeating: 0, count: word + 1 - high.count) }
        high[word] |= 1 << UInt64(index % 64)
    }

    mutating func remove(_ index: Int) {
        if index < 64 {
            low &= ~(1 << UInt64(index))
            return
        }
        let word = index / 64 - 1
        guard word < high.count else { return }
        high[word] &= ~(1 << UInt64(index % 64))
        while let last = high.last, last == 0 { high.removeLast() }
    }

    mutating func formUnion(_ other: RuleMask) {
        low |= other.low
        if other.high.count > high.count { high += [UInt64](repeating: 0, count: other.high.count - high.count) }
        for (word, bits) in other.high.enumerated() { high[word] |= bits }
    }

    func intersection(_ other: RuleMask) -> RuleMask {
        var result = RuleMask()
        result.low = low & other.low
        let count = min(high.count, other.high.count)
        if count > 0 {
            result.high = (0..<count).map { high[$0] & other.high[$0] }
            while let last = result.high.last, last == 0 { result.high.removeLast() }
        }
        return result
    }

    /// The lowest index in both sets: the first rule, in file order, that both select.
    func firstCommon(with other: RuleMask) -> Int? {
        let common = low & other.low
        if common != 0 { return common.trailingZeroBitCount }
        for word in 0..<min(high.count, other.high.count) {
            let bits = high[word] & other.high[word]
            if bits != 0 { return (word + 1) * 64 + bits.trailingZeroBitCount }
        }
        return nil
    }

    /// The lowest index for which `predicate` holds.
    func first(where predicate: (Int) -> Bool) -> Int? {
        var found: Int?
        forEachUntil { index in
            if predicate(index) {
                found = index
                return false
            }
            return true
        }
        return found
    }

    /// Calls `body` with each index, in increasing order, while it returns true.
    private func forEachUntil(_ body: (Int) -> Bool) {
        var bits = low
        while bits != 0 {
            if !body(bits.trailingZeroBitCount) { return }
            bits &= bits - 1
        }
        for (word, value) in high.enumerated() {
            var bits = value
            while bits != 0 {
                if !body((word + 1) * 64 + bits.trailingZeroBitCount) { return }
                bits &= bits - 1
            }
        }
    }

    /// Calls `body` with each index, in increasing order.
    func forEach(_ body: (Int) -> Void) {
        var bits = low
        while bits != 0 {
            body(bits.trailingZeroBitCount)
            bits &= bits - 1
        }
        for (word, value) in high.enumerated() {
            var bits = value
            while bits != 0 {
                body((word + 1) * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }
}

/// Comparison of secrets (digests, derived keys, crypt outputs) whose time does not depend on where the first
/// difference is, so that response times do not leak how much of a guess was right.
enum ConstantTime {
    /// Whether `a` and `b` are equal; the time depends only on the longer length.
    static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let left = Array(a)
        let right = Array(b)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        let count = max(left.count, right.count)
        for index in 0..<count {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

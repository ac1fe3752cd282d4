/// The indexes kept for an attribute type.
package struct IndexKinds: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The raw bits.
    package var rawValue: UInt8
    /// Makes kinds from raw bits.
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `eq:<oid>`: equality-normalised value → ids. Serves `(a=v)` and `(a~=v)`.
    package static let equality = IndexKinds(rawValue: 1)
    /// `pres:<oid>`: the ids of the entries holding the attribute. Serves `(a=*)`.
    package static let presence = IndexKinds(rawValue: 2)
    /// `sub:<oid>`: anchored and inner 3-byte grams of the substring-normalised value → ids. Serves
    /// `(a=in*it*al)`.
    package static let substring = IndexKinds(rawValue: 4)
    /// `ord:<oid>`: ordering-normalised value → ids, scanned as a range. Serves `(a>=v)` and `(a<=v)`.
    package static let ordering = IndexKinds(rawValue: 8)

    /// Each kind with its name and database prefix.
    static let named: [(IndexKinds, String)] = [
        (.equality, "eq"), (.presence, "pres"), (.substring, "sub"), (.ordering, "ord"),
    ]

    /// `eq,sub`…
    package var description: String {
        Self.named.filter { contains($0.0) }.map(\.1).joined(separator: ",")
    }

    /// Parses `eq,sub`; `nil` for an unknown name.
    package init?(parsing text: Substring) {
        var kinds: IndexKinds = []
        for name in text.split(separator: ",") {
            guard let kind = Self.named.first(where: { $0.1 == name })?.0 else { return nil }
            kinds.insert(kind)
        }
        self = kinds
    }
}

/// A matching rule (RFC 4512 §4.1.3, RFC 4517 §4): how assertion and attribute values compare.
///
/// Every rule here works by normalisation ("normalise once"): ``normalize(_:)`` turns a value
/// into bytes that an index stores, so that two values match under an equality rule exactly when
/// their normalised bytes are equal, and under an ordering rule the byte order (memcmp) of the
/// normalised forms is the rule's order. A substrings rule normalises values as its equality
/// rule does and its assertion pieces with ``normalizeSubstring(_:position:)``.
public struct MatchingRule: Sendable, CustomStringConvertible {
    /// What a rule is used for in a filter.
    public enum Kind: Hashable, Sendable {
        /// `(attr=value)`, and the `EQUALITY` of an attribute type.
        case equality
        /// `(attr<=value)` and `(attr>=value)`, the `ORDERING` of an attribute type.
        case ordering
        /// `(attr=in*it*al)`, the `SUBSTR` of an attribute type.
        case substrings
    }

    /// The rule's OID, e.g. `2.5.13.2`.
    public let oid: String
    /// The rule's names, e.g. `["caseIgnoreMatch"]`.
    public let names: [String]
    /// What the rule is for.
    public let kind: Kind
    /// The OID of the syntax of assertion values (the rule's `SYNTAX`).
    public let syntaxOID: String
    let normalization: Normalization

    init(oid: String, names: [String], kind: Kind, syntaxOID: String, normalization: Normalization) {
        self.oid = oid
        self.names = names
        self.kind = kind
        self.syntaxOID = syntaxOID
        self.normalization = normalization
    }

    /// The first name, or the OID for a rule without a name.
    public var name: String {
        self.names.first ?? self.oid
    }

    /// The rule's name.
    public var description: String {
        self.name
    }

    /// The normalised form of an attribute value: the bytes an index stores.
    public func normalize(_ value: [UInt8]) throws(MatchingError) -> [UInt8] {
        try self.normalization.normalize(value, assertion: false, rule: self.name)
    }

    /// The normalised form of an assertion value (of the rule's assertion syntax), comparable
    /// with normalised attribute values. The same as ``normalize(_:)`` except for the
    /// first-component rules, whose assertion is only the first component of a value.
    public func normalizeAssertion(_ value: [UInt8]) throws(MatchingError) -> [UInt8] {
        try self.normalization.normalize(value, assertion: true, rule: self.name)
    }

    /// Whether ``normalizeSubstring(_:position:)`` is supported (string rules).
    public var supportsSubstrings: Bool {
        self.normalization.supportsSubstrings
    }

    /// The normalised form of one piece of a substring assertion, to be found in normalised
    /// values with ``substringsMatch(normalizedValue:initial:any:final:)``.
    public func normalizeSubstring(_ piece: [UInt8], position: SubstringPosition) throws(MatchingError) -> [UInt8] {
        try self.normalization.normalizeSubstring(piece, position: position, rule: self.name)
    }

    /// Evaluates the rule on raw values: for an equality rule whether they are equal, for an
    /// ordering rule whether `value` sorts before `assertion` (RFC 4517: the rule is true when
    /// the attribute value is "less than" the assertion), for a substrings rule whether `value`
    /// matches `assertion` in the Substring Assertion syntax (`in*it*al`).
    public func matches(assertion: [UInt8], value: [UInt8]) throws(MatchingError) -> Bool {
        switch self.kind {
        case .equality:
            return try self.normalizeAssertion(assertion) == self.normalize(value)
        case .ordering:
            return try self.normalize(value).lexicographicallyPrecedes(self.normalizeAssertion(assertion))
        case .substrings:
            let parsed: SubstringAssertion
            do {
                parsed = try SubstringAssertion(parsing: assertion)
            } catch {
                throw MatchingError(rule: self.name, reason: error.reason)
            }
            return try self.matches(substrings: parsed, value: value)
        }
    }

    /// Whether `value` matches the pieces of `substrings` (unescaped, as a SubstringFilter
    /// carries them).
    public func matches(substrings: SubstringAssertion, value: [UInt8]) throws(MatchingError) -> Bool {
        let normalizedValue = try self.normalize(value)
        let initial = try substrings.initial.map { (piece) throws(MatchingError) in
            try self.normalizeSubstring(piece, position: .initial)
        }
        var any: [[UInt8]] = []
        any.reserveCapacity(substrings.any.count)
        for piece in substrings.any {
            any.append(try self.normalizeSubstring(piece, position: .any))
        }
        let final = try substrings.final.map { (piece) throws(MatchingError) in
            try self.normalizeSubstring(piece, position: .final)
        }
        return Self.substringsMatch(normalizedValue: normalizedValue, initial: initial, any: any, final: final)
    }

    /// Whether a normalised value holds normalised pieces: `initial` at its start, `final` at its
    /// end, and the `any` pieces in order between them, none overlapping (RFC 4517 §4.2.4).
    public static func substringsMatch(
        normalizedValue value: [UInt8],
        initial: [UInt8]?,
        any: [[UInt8]],
        final: [UInt8]?
    ) -> Bool {
        var start = 0
        var end = value.count
        if let initial {
            guard initial.count <= end, value[0..<initial.count].elementsEqual(initial) else { return false }
            start = initial.count
        }
        if let final {
            guard final.count <= end - start, value[(end - final.count)..<end].elementsEqual(final) else {
                return false
            }
            end -= final.count
        }
        for piece in any {
            guard let found = Self.firstRange(of: piece, in: value, from: start, to: end) else { return false }
            start = found
        }
        return true
    }

    /// The end of the first occurrence of `piece` in `value[from..<to]`.
    private static func firstRange(of piece: [UInt8], in value: [UInt8], from: Int, to: Int) -> Int? {
        let count = piece.count
        guard count > 0 else { return from }
        guard to - from >= count else { return nil }
        let first = piece[0]
        var index = from
        let last = to - count
        while index <= last {
            if value[index] == first {
                var offset = 1
                while offset < count && value[index + offset] == piece[offset] {
                    offset += 1
                }
                if offset == count { return index + count }
            }
            index += 1
        }
        return nil
    }
}

/// A compiled filter: items bound to attribute type ids and matching rules, assertion values normalised.
indirect enum PreparedFilterNode: Sendable {
    /// A result known without looking at the entry (an unknown type, an invalid assertion, `objectClass=*`).
    case constant(FilterResult)
    case and([PreparedFilterNode])
    case or([PreparedFilterNode])
    case not(PreparedFilterNode)
    case item(PreparedFilterItem)
}

/// One filter item: which attributes it reads, how it compares their values.
struct PreparedFilterItem: Sendable {
    /// The attribute types whose values the item reads.
    enum Types: Sendable {
        /// A type and its subtypes (RFC 4512 §2.5.1).
        case subtypes(of: Int)
        /// Any of these types (an extensible match naming only a rule).
        case anyOf(Set<Int>)
    }

    /// The comparison, with the assertion normalised.
    enum Test: Sendable {
        case present
        /// Equal normalised bytes.
        case equal([UInt8])
        /// An object class value that is the class or one of its subclasses.
        case objectClass(Int)
        /// An ordering rule in an extensible match: the value sorts before the assertion.
        case lessThan([UInt8])
        case greaterOrEqual([UInt8])
        case lessOrEqual([UInt8])
        case substrings(initial: [UInt8]?, any: [[UInt8]], final: [UInt8]?)
    }

    var types: Types
    /// Lower-cased options the attribute description must carry (`lang-fr` in `cn;lang-fr=x`).
    var options: [String]
    /// The rule values are normalised with; `nil` for `present`.
    var rule: MatchingRule?
    var test: Test
    /// Also test the AVAs of the entry's DN (extensible match with `dnAttributes`).
    var dnAttributes: Bool

    func accepts(_ type: CompiledAttributeType) -> Bool {
        switch types {
        case .subtypes(let ancestor): return type.isSubtype(of: ancestor)
        case .anyOf(let set): return set.contains(type.id)
        }
    }
}

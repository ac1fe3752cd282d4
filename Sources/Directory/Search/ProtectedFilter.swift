import AccessControl
import LDAPProtocol
import NIOCore
import Schema

/// A search filter under access control: an item on an attribute the client may not `search` in the entry
/// at hand evaluates to Undefined, so that the filter's outcome reveals nothing about that attribute
/// (docs/access-control.md). The filter is prepared once as sent; the variants with some items made
/// Undefined are prepared on first need and cached by the set of items denied (few per search: rights follow
/// a handful of rules).
struct ProtectedFilter {
    /// What an item of the filter reads.
    ///
    /// An item on a type also matches the values of its subtypes (`(name=x)` reads `cn`, `sn`…), so the search
    /// right is needed on the type and on each of its subtypes the schema defines: otherwise a rule denying
    /// `sn` could be bypassed through `name`. The subtypes are listed once, so the decision still depends on
    /// the entry's rules only (the variant cache holds).
    private enum Reads {
        /// A type the schema knows, with its subtypes (their search rights decide).
        case type([CompiledAttributeType])
        /// An equality item of a type the schema knows, with its subtypes: their search rights on the asserted
        /// value decide (the same as on the types unless a value rule selects one).
        case value([CompiledAttributeType], [UInt8])
        /// A type the schema does not know: the item is Undefined anyway.
        case unknown
        /// An extensible match without a type reads every attribute: every attribute of the entry must be
        /// searchable.
        case everything
    }

    /// An attribute description no schema defines: an equality item on it is Undefined (RFC 4511 §4.5.1.7).
    private static let undisclosed = "x-annuaire-undisclosed-attribute"

    let filter: Filter
    let context: SchemaContext
    let unrestricted: PreparedFilter
    private let items: [Reads]
    /// Whether an item reads every attribute of the entry (then the variant depends on the entry's attributes,
    /// not on the decisions alone).
    private let readsEverything: Bool
    private var variants: [[Bool]: PreparedFilter] = [:]
    /// The decisions (``EntryAccess/decisionIdentity``) the last variant was chosen for, and that variant:
    /// entries of the same signature get it without deciding each item again. Held strongly, so that the
    /// identity cannot be another object's.
    private var lastDecisions: AnyObject?
    private var lastVariant: PreparedFilter?

    init(_ filter: Filter, context: SchemaContext) {
        self.filter = filter
        self.context = context
        self.unrestricted = PreparedFilter(filter, context: context)
        var items: [Reads] = []
        Self.collect(filter, context: context, into: &items)
        self.items = items
        self.readsEverything = items.contains { if case .everything = $0 { return true } else { return false } }
    }

    /// The filter to evaluate on `entry` for the subject whose decisions are `access`.
    mutating func prepared(for entry: Entry, access: EntryAccess) -> PreparedFilter {
        if access.bypasses || items.isEmpty { return unrestricted }
        let decisions = readsEverything ? nil : access.decisionIdentity
        if let decisions, let lastDecisions, let lastVariant, decisions === lastDecisions { return lastVariant }
        let variant = variant(for: entry, access: access)
        if let decisions {
            lastDecisions = decisions
            lastVariant = variant
        }
        return variant
    }

    /// The variant for `entry`, deciding each item.
    private mutating func variant(for entry: Entry, access: EntryAccess) -> PreparedFilter {
        var denied = [Bool](repeating: false, count: items.count)
        var anyDenied = false
        for (index, item) in items.enumerated() {
            let allowed: Bool
            switch item {
            case .type(let types): allowed = types.allSatisfy { access.allows(.search, .type($0)) }
            case .value(let types, let value):
                allowed = types.allSatisfy { access.allows(.search, $0, value: value, assertion: true) }
            case .unknown: allowed = true
            case .everything:
                allowed = entry.attributes.allSatisfy { attribute in
                    guard let type = context.attributeType(named: attribute.description.type) else { return true }
                    return access.allows(.search, .type(type))
                }
            }
            if !allowed {
                denied[index] = true
                anyDenied = true
            }
        }
        guard anyDenied else { return unrestricted }
        if let variant = variants[denied] { return variant }
        var position = 0
        let variant = PreparedFilter(Self.rewrite(filter, denied: denied, position: &position), context: context)
        variants[denied] = variant
        return variant
    }

    /// The items of `filter`, depth first.
    private static func collect(_ filter: Filter, context: SchemaContext, into items: inout [Reads]) {
        func reads(_ description: ByteBuffer) -> Reads {
            guard let type = context.attributeType(named: AttributeDescription(String(buffer: description)).type)
            else { return .unknown }
            return .type([type] + context.attributeTypes.filter { $0.id != type.id && $0.isSubtype(of: type.id) })
        }
        switch filter {
        case .and(let children), .or(let children):
            for child in children { collect(child, context: context, into: &items) }
        case .not(let child):
            collect(child, context: context, into: &items)
        case .equalityMatch(let ava):
            // The asserted value is known: a value rule may decide on it (the variant still depends only on the
            // entry's decisions, the value being the filter's).
            switch reads(ava.attributeDescription) {
            case .type(let types): items.append(.value(types, Array(buffer: ava.assertionValue)))
            case let other: items.append(other)
            }
        case .greaterOrEqual(let ava), .lessOrEqual(let ava), .approxMatch(let ava):
            items.append(reads(ava.attributeDescription))
        case .substrings(let substrings):
            items.append(reads(substrings.attributeDescription))
        case .present(let description):
            items.append(reads(description))
        case .extensibleMatch(let assertion):
            items.append(assertion.type.map(reads) ?? .everything)
        }
    }

    /// `filter` with the items marked in `denied` (depth first, from `position`) replaced by Undefined ones.
    private static func rewrite(_ filter: Filter, denied: [Bool], position: inout Int) -> Filter {
        switch filter {
        case .and(let children):
            return .and(children.map { rewrite($0, denied: denied, position: &position) })
        case .or(let children):
            return .or(children.map { rewrite($0, denied: denied, position: &position) })
        case .not(let child):
            return .not(rewrite(child, denied: denied, position: &position))
        default:
            defer { position += 1 }
            guard position < denied.count, denied[position] else { return filter }
            return .equalityMatch(
                AttributeValueAssertion(
                    attributeDescription: ByteBuffer(string: undisclosed), assertionValue: ByteBuffer()))
        }
    }
}

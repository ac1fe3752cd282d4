import LDAPProtocol
import NIOCore
import Schema

/// What a filter reads, to know before a search whether entries need their computed attributes
/// (`(hasSubordinates=TRUE)`, `(entryDN=…)`) to be evaluated.
enum FilterInspection {
    /// Whether `filter` reads an attribute of one of `ids` (or any attribute: an extensible match without a
    /// type).
    static func reads(_ filter: Filter, anyOf ids: Set<Int>, context: SchemaContext) -> Bool {
        guard !ids.isEmpty else { return false }
        func named(_ description: ByteBuffer) -> Bool {
            guard let type = context.attributeType(named: AttributeDescription(String(buffer: description)).type)
            else {
                return false
            }
            return ids.contains(type.id)
        }
        switch filter {
        case .and(let children), .or(let children):
            return children.contains { reads($0, anyOf: ids, context: context) }
        case .not(let child):
            return reads(child, anyOf: ids, context: context)
        case .equalityMatch(let ava), .greaterOrEqual(let ava), .lessOrEqual(let ava), .approxMatch(let ava):
            return named(ava.attributeDescription)
        case .substrings(let substrings):
            return named(substrings.attributeDescription)
        case .present(let description):
            return named(description)
        case .extensibleMatch(let assertion):
            guard let type = assertion.type else { return true }
            return named(type)
        }
    }
}

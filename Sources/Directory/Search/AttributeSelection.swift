import LDAPProtocol
import NIOCore
import Schema

/// The attributes a search (or a pre/post-read control) asks for (RFC 4511 §4.5.1.8): none or `*` for every
/// user attribute, `+` for every operational one (RFC 3673), `1.1` for none, names or OIDs with options (a
/// type also selects its subtypes; `cn;lang-fr` only values carrying the option), and `@class` for the
/// attributes a class allows (RFC 4529). Unknown names select nothing, as in slapd.
struct AttributeSelection: Sendable {
    private(set) var allUser = false
    private(set) var allOperational = false
    private var named: [(type: CompiledAttributeType, options: [String])] = []
    /// Lower-cased names that the schema does not define (root DSE attributes are matched by name too).
    private var rawNames: Set<String> = []
    private var classAllowed: Set<Int> = []

    init(_ requested: [ByteBuffer], context: SchemaContext) {
        self.init(requested.map { String(buffer: $0) }, context: context)
    }

    init(_ requested: [String], context: SchemaContext) {
        let listsOthers = requested.contains { $0 != "1.1" }
        if requested.isEmpty { allUser = true }
        for text in requested {
            switch text {
            case "*": allUser = true
            case "+": allOperational = true
            case "1.1": if !listsOthers { continue }
            default:
                if text.hasPrefix("@") {
                    if let objectClass = context.objectClass(named: String(text.dropFirst())) {
                        classAllowed.formUnion(objectClass.allowed)
                    }
                    continue
                }
                let description = AttributeDescription(text)
                if let type = context.attributeType(named: description.type) {
                    named.append((type, description.options.map { $0.lowercased() }))
                } else {
                    rawNames.insert(text.lowercased())
                }
            }
        }
    }

    /// Whether an attribute of `type` with `options` is selected.
    func includes(_ type: CompiledAttributeType, options: [String]) -> Bool {
        if type.isOperational ? allOperational : (allUser || classAllowed.contains(type.id)) { return true }
        guard !named.isEmpty else { return false }
        let lowered = options.map { $0.lowercased() }
        return named.contains { request in
            type.isSubtype(of: request.type.id) && request.options.allSatisfy(lowered.contains)
        }
    }

    /// Whether the attribute described `description` is selected; a type the schema lacks is selected by its
    /// exact name, or by `*`/`+` according to `operational`.
    func includes(_ description: String, operational: Bool, context: SchemaContext) -> Bool {
        let parsed = AttributeDescription(description)
        if let type = context.attributeType(named: parsed.type) { return includes(type, options: parsed.options) }
        return (operational ? allOperational : allUser) || rawNames.contains(description.lowercased())
    }

    /// Whether any selected attribute is among `ids` (to know whether computed attributes are needed).
    func selectsAny(of ids: Set<Int>, context: SchemaContext) -> Bool {
        if allOperational { return !ids.isEmpty }
        return named.contains { request in ids.contains { context.attributeTypes[$0].isSubtype(of: request.type.id) } }
    }
}

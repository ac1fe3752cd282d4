/// Attribute syntaxes by OID, as a schema's `SYNTAX` clause names them.
public struct SyntaxRegistry: Sendable {
    private var byOID: [String: AttributeSyntax]

    /// A registry holding `syntaxes`; a later syntax with the same OID replaces an earlier one.
    public init(_ syntaxes: [AttributeSyntax]) {
        self.byOID = [:]
        for syntax in syntaxes {
            self.byOID[syntax.oid] = syntax
        }
    }

    /// The built-in syntaxes of RFC 4517, RFC 4523 (as octet strings) and RFC 4530.
    public static let builtIn = SyntaxRegistry(AttributeSyntax.builtIns)

    /// The syntax a `SYNTAX` clause names: a numeric OID, optionally followed by a length bound
    /// in braces (`1.3.6.1.4.1.1466.115.121.1.15{256}`), which is ignored here.
    public subscript(_ reference: String) -> AttributeSyntax? {
        self.byOID[Self.parseReference(reference).oid]
    }

    /// Splits `1.3.6.1.4.1.1466.115.121.1.15{256}` into its OID and length bound (`nil` when
    /// absent or not a number).
    public static func parseReference(_ reference: String) -> (oid: String, lengthBound: Int?) {
        let trimmed = reference.trimmingSpaces
        guard let brace = trimmed.firstIndex(of: "{") else { return (trimmed, nil) }
        let oid = String(trimmed[..<brace])
        var bound = trimmed[trimmed.index(after: brace)...]
        if bound.last == "}" { bound = bound.dropLast() }
        return (oid, Int(bound))
    }

    /// Adds or replaces a syntax.
    public mutating func register(_ syntax: AttributeSyntax) {
        self.byOID[syntax.oid] = syntax
    }

    /// Every syntax, ordered by OID.
    public var all: [AttributeSyntax] {
        self.byOID.values.sorted { $0.oid < $1.oid }
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}

extension ObjectClassDefinition {
    /// The definition as an RFC 4512 §4.1.1 `ObjectClassDescription`, the value the server publishes in the
    /// `objectClasses` attribute of its subschema entry. Keywords come in the RFC's order; the kind is always
    /// written.
    public var rfc4512Description: String {
        var parts = ["(", oid]
        SchemaDescriptionPrinter.appendNames(names, to: &parts)
        if let descriptionText { parts += ["DESC", SchemaTokenizer.quote(descriptionText)] }
        if isObsolete { parts.append("OBSOLETE") }
        SchemaDescriptionPrinter.appendOIDs(superiors, keyword: "SUP", to: &parts)
        parts.append(kind.rawValue)
        SchemaDescriptionPrinter.appendOIDs(mustAttributes, keyword: "MUST", to: &parts)
        SchemaDescriptionPrinter.appendOIDs(mayAttributes, keyword: "MAY", to: &parts)
        SchemaDescriptionPrinter.appendExtensions(extensions, to: &parts)
        parts.append(")")
        return parts.joined(separator: " ")
    }

    /// Parses an RFC 4512 `ObjectClassDescription`, as published in a subschema entry.
    ///
    /// - Parameter source: the name errors are reported under.
    public init(rfc4512Description text: String, source: String = "objectClasses") throws(SchemaError) {
        let lines = SchemaDescriptionPrinter.lines(of: text)
        let tokens = try SchemaTokenizer.tokenize(lines, file: source)
        var parser = SchemaDescriptionParser(
            tokens: tokens, file: source, firstLine: 1, macros: ObjectIdentifierMacros()
        )
        self = try parser.parseObjectClass()
    }
}

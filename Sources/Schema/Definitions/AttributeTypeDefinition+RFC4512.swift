extension AttributeTypeDefinition {
    /// The definition as an RFC 4512 §4.1.2 `AttributeTypeDescription`, the value the server publishes in the
    /// `attributeTypes` attribute of its subschema entry. Keywords come in the RFC's order.
    public var rfc4512Description: String {
        var parts = ["(", oid]
        SchemaDescriptionPrinter.appendNames(names, to: &parts)
        if let descriptionText { parts += ["DESC", SchemaTokenizer.quote(descriptionText)] }
        if isObsolete { parts.append("OBSOLETE") }
        if let superior { parts += ["SUP", superior] }
        if let equality { parts += ["EQUALITY", equality] }
        if let ordering { parts += ["ORDERING", ordering] }
        if let substring { parts += ["SUBSTR", substring] }
        if let syntax { parts += ["SYNTAX", syntax + (syntaxLength.map { "{\($0)}" } ?? "")] }
        if isSingleValued { parts.append("SINGLE-VALUE") }
        if isCollective { parts.append("COLLECTIVE") }
        if isNoUserModification { parts.append("NO-USER-MODIFICATION") }
        if usage != .userApplications { parts += ["USAGE", usage.rawValue] }
        SchemaDescriptionPrinter.appendExtensions(extensions, to: &parts)
        parts.append(")")
        return parts.joined(separator: " ")
    }

    /// Parses an RFC 4512 `AttributeTypeDescription`, as published in a subschema entry.
    ///
    /// - Parameter source: the name errors are reported under.
    public init(rfc4512Description text: String, source: String = "attributeTypes") throws(SchemaError) {
        let lines = SchemaDescriptionPrinter.lines(of: text)
        let tokens = try SchemaTokenizer.tokenize(lines, file: source)
        var parser = SchemaDescriptionParser(
            tokens: tokens, file: source, firstLine: 1, macros: ObjectIdentifierMacros()
        )
        self = try parser.parseAttributeType()
    }
}

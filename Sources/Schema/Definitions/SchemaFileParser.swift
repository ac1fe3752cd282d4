/// A definition read from a schema file, with where it starts.
enum SchemaStatement: Sendable {
    case attributeType(AttributeTypeDefinition, SchemaSourceLocation)
    case objectClass(ObjectClassDefinition, SchemaSourceLocation)
}

/// Reads OpenLDAP `.schema` files: `attributetype ( … )`, `objectclass ( … )` and `objectidentifier NAME OID`
/// statements; `#` comment lines; blank lines; a line starting with white space continues the previous one.
///
/// One parser reads the files of a load in order so that `objectidentifier` macros carry from file to file.
struct SchemaFileParser: Sendable {
    private(set) var macros = ObjectIdentifierMacros()

    mutating func parse(_ source: SchemaSource) throws(SchemaError) -> [SchemaStatement] {
        var statements: [SchemaStatement] = []
        var current: [SchemaTokenizer.Line] = []
        var lineNumber = 0
        // `\r\n` is one Character in Swift, and a newline like `\n`.
        for line in source.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let content = line.drop(while: { $0 == " " || $0 == "\t" })
            if content.isEmpty || content.first == "#" { continue }
            if content.startIndex != line.startIndex, !current.isEmpty {
                current.append((lineNumber, line))
                continue
            }
            if !current.isEmpty {
                if let statement = try parseStatement(current, file: source.name) { statements.append(statement) }
            }
            current = [(lineNumber, line)]
        }
        if !current.isEmpty, let statement = try parseStatement(current, file: source.name) {
            statements.append(statement)
        }
        return statements
    }

    /// Parses one statement; `objectidentifier` updates the macros and yields nothing.
    private mutating func parseStatement(_ lines: [SchemaTokenizer.Line], file: String) throws(SchemaError)
        -> SchemaStatement?
    {
        let tokens = try SchemaTokenizer.tokenize(lines, file: file)
        let firstLine = lines[0].number
        let location = SchemaSourceLocation(file: file, line: firstLine)
        guard let first = tokens.first else { return nil }
        guard let keyword = first.word else {
            throw SchemaError(.unknownStatement(first.text), at: location)
        }
        let rest = Array(tokens.dropFirst())
        switch keyword.lowercased() {
        case "attributetype", "attributetypes":
            var parser = SchemaDescriptionParser(tokens: rest, file: file, firstLine: firstLine, macros: macros)
            return .attributeType(try parser.parseAttributeType(), location)
        case "objectclass", "objectclasses":
            var parser = SchemaDescriptionParser(tokens: rest, file: file, firstLine: firstLine, macros: macros)
            return .objectClass(try parser.parseObjectClass(), location)
        case "objectidentifier":
            guard rest.count == 2, let name = rest[0].word, let value = rest[1].word else {
                throw SchemaError(.malformedObjectIdentifier(rest.map(\.text).joined(separator: " ")), at: location)
            }
            try macros.define(name, as: value, at: location)
            return nil
        default:
            throw SchemaError(.unknownStatement(keyword), at: location)
        }
    }
}

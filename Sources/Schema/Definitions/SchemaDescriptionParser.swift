/// Parses one `AttributeTypeDescription` or `ObjectClassDescription` (RFC 4512 §4.1.1–4.1.2) from tokens.
///
/// Accepted beyond the strict grammar, as OpenLDAP's `.schema` files use them: keywords in any order and any
/// case, unquoted descriptors after `NAME`, quoted OIDs, and `objectidentifier` macros in OID positions.
/// Each keyword may appear once.
struct SchemaDescriptionParser {
    private let tokens: [SchemaToken]
    private var index = 0
    private let file: String
    private let firstLine: Int
    private let macros: ObjectIdentifierMacros

    init(tokens: [SchemaToken], file: String, firstLine: Int, macros: ObjectIdentifierMacros) {
        self.tokens = tokens
        self.file = file
        self.firstLine = firstLine
        self.macros = macros
    }

    // MARK: - Attribute types

    mutating func parseAttributeType() throws(SchemaError) -> AttributeTypeDefinition {
        let definitionName = "attributetype"
        let open = try expectOpenParenthesis(definitionName)
        var definition = AttributeTypeDefinition(oid: try parseDefinitionOID())
        var seen: Set<String> = []
        while true {
            let token = try nextToken(expected: "a keyword or ')'", openedAt: open)
            if token.kind == .closeParenthesis { break }
            guard let word = token.word else {
                throw error(.unexpectedToken(found: token.text, expected: "a keyword or ')'"), token)
            }
            let keyword = word.uppercased()
            guard seen.insert(keyword).inserted else {
                throw error(.duplicateKeyword(word, definition: definitionName), token)
            }
            switch keyword {
            case "NAME": definition.names = try parseDescriptors(openedAt: open)
            case "DESC": definition.descriptionText = try parseQuotedString(openedAt: open)
            case "OBSOLETE": definition.isObsolete = true
            case "SUP": definition.superior = try parseOID(openedAt: open)
            case "EQUALITY": definition.equality = try parseOID(openedAt: open)
            case "ORDERING": definition.ordering = try parseOID(openedAt: open)
            case "SUBSTR": definition.substring = try parseOID(openedAt: open)
            case "SYNTAX": (definition.syntax, definition.syntaxLength) = try parseSyntax(openedAt: open)
            case "SINGLE-VALUE": definition.isSingleValued = true
            case "COLLECTIVE": definition.isCollective = true
            case "NO-USER-MODIFICATION": definition.isNoUserModification = true
            case "USAGE":
                let value = try nextToken(expected: "a usage", openedAt: open)
                guard let text = value.word, let usage = AttributeUsage(keyword: text) else {
                    throw error(.invalidUsage(value.text), value)
                }
                definition.usage = usage
            case _ where keyword.hasPrefix("X-"):
                let values = try parseQuotedStrings(openedAt: open)
                definition.extensions.append(SchemaExtension(name: word, values: values))
            default:
                throw error(.unknownKeyword(word, definition: definitionName), token)
            }
        }
        try expectEnd()
        return definition
    }

    // MARK: - Object classes

    mutating func parseObjectClass() throws(SchemaError) -> ObjectClassDefinition {
        let definitionName = "objectclass"
        let open = try expectOpenParenthesis(definitionName)
        var definition = ObjectClassDefinition(oid: try parseDefinitionOID())
        var seen: Set<String> = []
        while true {
            let token = try nextToken(expected: "a keyword or ')'", openedAt: open)
            if token.kind == .closeParenthesis { break }
            guard let word = token.word else {
                throw error(.unexpectedToken(found: token.text, expected: "a keyword or ')'"), token)
            }
            var keyword = word.uppercased()
            if ObjectClassKind(rawValue: keyword) != nil { keyword = "kind" }
            guard seen.insert(keyword).inserted else {
                throw error(.duplicateKeyword(word, definition: definitionName), token)
            }
            switch keyword {
            case "NAME": definition.names = try parseDescriptors(openedAt: open)
            case "DESC": definition.descriptionText = try parseQuotedString(openedAt: open)
            case "OBSOLETE": definition.isObsolete = true
            case "SUP": definition.superiors = try parseOIDs(openedAt: open)
            case "kind": definition.kind = ObjectClassKind(rawValue: word.uppercased()) ?? .structural
            case "MUST": definition.mustAttributes = try parseOIDs(openedAt: open)
            case "MAY": definition.mayAttributes = try parseOIDs(openedAt: open)
            case _ where keyword.hasPrefix("X-"):
                let values = try parseQuotedStrings(openedAt: open)
                definition.extensions.append(SchemaExtension(name: word, values: values))
            default:
                throw error(.unknownKeyword(word, definition: definitionName), token)
            }
        }
        try expectEnd()
        return definition
    }

    // MARK: - Pieces of the grammar

    private mutating func expectOpenParenthesis(_ definitionName: String) throws(SchemaError) -> SchemaToken {
        guard index < tokens.count else {
            throw SchemaError(
                .unexpectedEnd(expected: "'(' opening the \(definitionName) description"),
                at: SchemaSourceLocation(file: file, line: firstLine)
            )
        }
        let token = tokens[index]
        index += 1
        guard token.kind == .openParenthesis else {
            if token.kind == .closeParenthesis {
                throw error(.unbalancedParenthesis("')' without a matching '('"), token)
            }
            let expected = "'(' opening the \(definitionName) description"
            throw error(.unexpectedToken(found: token.text, expected: expected), token)
        }
        return token
    }

    /// The numeric OID of the definition itself; a bare macro name or `macro:suffix` is expanded.
    private mutating func parseDefinitionOID() throws(SchemaError) -> String {
        let token = try nextToken(expected: "the numeric OID", openedAt: nil)
        guard let text = token.word ?? token.quotedValue else {
            throw error(.unexpectedToken(found: token.text, expected: "the numeric OID"), token)
        }
        let oid = try macros.expand(text, allowingBareMacro: true, at: location(token))
        guard OIDText.isNumericOID(oid) else {
            throw error(.invalidNumericOID(text), token)
        }
        return oid
    }

    /// `qdescrs = qdescr / ( LPAREN WSP qdescrlist WSP RPAREN )`.
    private mutating func parseDescriptors(openedAt open: SchemaToken) throws(SchemaError) -> [String] {
        let first = try nextToken(expected: "a name", openedAt: open)
        if first.kind != .openParenthesis {
            return [try descriptor(from: first)]
        }
        var names: [String] = []
        while true {
            let token = try nextToken(expected: "a name or ')'", openedAt: first)
            if token.kind == .closeParenthesis { return names }
            names.append(try descriptor(from: token))
        }
    }

    private func descriptor(from token: SchemaToken) throws(SchemaError) -> String {
        guard let text = token.quotedValue ?? token.word else {
            throw error(.unexpectedToken(found: token.text, expected: "a name"), token)
        }
        guard OIDText.isDescriptor(text) else {
            throw error(.invalidDescriptor(text), token)
        }
        return text
    }

    private mutating func parseQuotedString(openedAt open: SchemaToken) throws(SchemaError) -> String {
        let token = try nextToken(expected: "a quoted string", openedAt: open)
        guard let value = token.quotedValue else {
            throw error(.unexpectedToken(found: token.text, expected: "a quoted string"), token)
        }
        return value
    }

    /// `qdstrings = qdstring / ( LPAREN WSP qdstringlist WSP RPAREN )`.
    private mutating func parseQuotedStrings(openedAt open: SchemaToken) throws(SchemaError) -> [String] {
        let first = try nextToken(expected: "a quoted string", openedAt: open)
        if let value = first.quotedValue { return [value] }
        guard first.kind == .openParenthesis else {
            throw error(.unexpectedToken(found: first.text, expected: "a quoted string"), first)
        }
        var values: [String] = []
        while true {
            let token = try nextToken(expected: "a quoted string or ')'", openedAt: first)
            if token.kind == .closeParenthesis { return values }
            guard let value = token.quotedValue else {
                throw error(.unexpectedToken(found: token.text, expected: "a quoted string or ')'"), token)
            }
            values.append(value)
        }
    }

    /// `oid = descr / numericoid`, with `macro:suffix` expanded.
    private mutating func parseOID(openedAt open: SchemaToken) throws(SchemaError) -> String {
        let token = try nextToken(expected: "an OID or name", openedAt: open)
        return try oid(from: token)
    }

    private func oid(from token: SchemaToken) throws(SchemaError) -> String {
        guard let text = token.word ?? token.quotedValue else {
            throw error(.unexpectedToken(found: token.text, expected: "an OID or name"), token)
        }
        let expanded = try macros.expand(text, allowingBareMacro: false, at: location(token))
        guard OIDText.isOID(expanded) else {
            throw error(.invalidOID(text), token)
        }
        return expanded
    }

    /// `oids = oid / ( LPAREN WSP oidlist WSP RPAREN )`, `oidlist = oid *( WSP DOLLAR WSP oid )`.
    private mutating func parseOIDs(openedAt open: SchemaToken) throws(SchemaError) -> [String] {
        let first = try nextToken(expected: "an OID or name", openedAt: open)
        guard first.kind == .openParenthesis else {
            return [try oid(from: first)]
        }
        var oids = [try oid(from: try nextToken(expected: "an OID or name", openedAt: first))]
        while true {
            let token = try nextToken(expected: "'$' or ')'", openedAt: first)
            switch token.kind {
            case .closeParenthesis:
                return oids
            case .dollar:
                oids.append(try oid(from: try nextToken(expected: "an OID or name after '$'", openedAt: first)))
            default:
                throw error(.unexpectedToken(found: token.text, expected: "'$' or ')' in the list"), token)
            }
        }
    }

    /// `noidlen = numericoid [ LCURLY len RCURLY ]`; a macro may stand for the OID.
    private mutating func parseSyntax(openedAt open: SchemaToken) throws(SchemaError) -> (String, Int?) {
        let token = try nextToken(expected: "a syntax OID", openedAt: open)
        guard let text = token.word ?? token.quotedValue else {
            throw error(.unexpectedToken(found: token.text, expected: "a syntax OID"), token)
        }
        var oidText = Substring(text)
        var length: Int?
        if let brace = text.firstIndex(of: "{") {
            oidText = text[..<brace]
            let rest = text[text.index(after: brace)...]
            guard rest.hasSuffix("}"), let value = Int(rest.dropLast()), value >= 0,
                rest.dropLast().allSatisfy({ $0.isASCII && $0.isNumber })
            else {
                throw error(.invalidSyntaxLength(String(text[brace...])), token)
            }
            length = value
        }
        let oid = try macros.expand(String(oidText), allowingBareMacro: true, at: location(token))
        guard OIDText.isNumericOID(oid) else {
            throw error(.invalidNumericOID(String(oidText)), token)
        }
        return (oid, length)
    }

    private mutating func expectEnd() throws(SchemaError) {
        guard index < tokens.count else { return }
        let token = tokens[index]
        if token.kind == .closeParenthesis {
            throw error(.unbalancedParenthesis("')' without a matching '('"), token)
        }
        let rest = tokens[index...].prefix(5).map(\.text).joined(separator: " ")
        throw error(.trailingText(rest), token)
    }

    private mutating func nextToken(expected: String, openedAt open: SchemaToken?) throws(SchemaError) -> SchemaToken {
        guard index < tokens.count else {
            let line = tokens.last?.line ?? firstLine
            if let open {
                throw SchemaError(
                    .unbalancedParenthesis("missing ')' for the '(' on line \(open.line) (expected \(expected))"),
                    at: SchemaSourceLocation(file: file, line: line)
                )
            }
            throw SchemaError(.unexpectedEnd(expected: expected), at: SchemaSourceLocation(file: file, line: line))
        }
        let token = tokens[index]
        index += 1
        return token
    }

    private func location(_ token: SchemaToken) -> SchemaSourceLocation {
        SchemaSourceLocation(file: file, line: token.line)
    }

    private func error(_ problem: SchemaError.Problem, _ token: SchemaToken) -> SchemaError {
        SchemaError(problem, at: location(token))
    }
}

extension SchemaToken {
    var quotedValue: String? {
        if case .quoted(let value) = kind { return value }
        return nil
    }
}

/// One token of a schema statement, with the physical line it starts on.
struct SchemaToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case openParenthesis
        case closeParenthesis
        case dollar
        /// A `'quoted string'`, unescaped.
        case quoted(String)
        /// Anything else: keywords, OIDs, descriptors, `oid{len}`.
        case word(String)
    }

    var kind: Kind
    var line: Int

    /// The token as it would be quoted in an error message.
    var text: String {
        switch kind {
        case .openParenthesis: return "("
        case .closeParenthesis: return ")"
        case .dollar: return "$"
        case .quoted(let value): return "'\(value)'"
        case .word(let value): return value
        }
    }

    var word: String? {
        if case .word(let value) = kind { return value }
        return nil
    }
}

/// Splits a statement, given as its physical lines, into tokens (RFC 4512 §4.1 lexical rules).
enum SchemaTokenizer {
    /// A physical line of a statement: its number and its text.
    typealias Line = (number: Int, text: Substring)

    static func tokenize(_ lines: [Line], file: String) throws(SchemaError) -> [SchemaToken] {
        var tokens: [SchemaToken] = []
        // Physical lines are joined by a space, as a continuation line continues the previous one.
        var characters: [Character] = []
        var lineNumbers: [Int] = []
        for (position, line) in lines.enumerated() {
            if position > 0 {
                characters.append(" ")
                lineNumbers.append(line.number)
            }
            for character in line.text {
                characters.append(character)
                lineNumbers.append(line.number)
            }
        }
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let line = lineNumbers[index]
            switch character {
            case _ where character.isWhitespace:
                index += 1
            case "(":
                tokens.append(SchemaToken(kind: .openParenthesis, line: line))
                index += 1
            case ")":
                tokens.append(SchemaToken(kind: .closeParenthesis, line: line))
                index += 1
            case "$":
                tokens.append(SchemaToken(kind: .dollar, line: line))
                index += 1
            case "'":
                index += 1
                var value = ""
                var closed = false
                while index < characters.count {
                    let next = characters[index]
                    if next == "'" {
                        closed = true
                        index += 1
                        break
                    }
                    if next == "\\", index + 2 < characters.count {
                        let escape = String(characters[(index + 1)...(index + 2)]).lowercased()
                        if escape == "27" {
                            value.append("'")
                            index += 3
                            continue
                        }
                        if escape == "5c" {
                            value.append("\\")
                            index += 3
                            continue
                        }
                    }
                    value.append(next)
                    index += 1
                }
                guard closed else {
                    throw SchemaError(.unterminatedString, at: SchemaSourceLocation(file: file, line: line))
                }
                tokens.append(SchemaToken(kind: .quoted(value), line: line))
            default:
                var value = ""
                while index < characters.count {
                    let next = characters[index]
                    if next.isWhitespace || next == "(" || next == ")" || next == "$" || next == "'" { break }
                    value.append(next)
                    index += 1
                }
                tokens.append(SchemaToken(kind: .word(value), line: line))
            }
        }
        return tokens
    }

    /// Escapes a value for a `qdstring` (RFC 4512 §4.1: `'` as `\27`, `\` as `\5C`).
    static func quote(_ value: String) -> String {
        var result = "'"
        for character in value {
            switch character {
            case "'": result += "\\27"
            case "\\": result += "\\5C"
            default: result.append(character)
            }
        }
        return result + "'"
    }
}

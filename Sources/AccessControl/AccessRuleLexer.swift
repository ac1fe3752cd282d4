/// One word of a rule file: `access`, `to`, `dn.subtree="ou=people,dc=example"` (quotes removed, escapes
/// resolved), with the line it is on.
struct AccessToken: Sendable {
    var text: String
    var line: Int
}

/// Splits a rule file into statements of words. A statement starts on a line that begins (column 1) with a
/// word and continues on the following indented lines; lines whose first non-blank character is `#` are
/// comments, blank lines are ignored. Inside double quotes, blanks are kept and `\"`, `\\` stand for `"`, `\`.
struct AccessRuleLexer {
    let file: String

    /// The statements, each a list of words with their lines.
    func statements(_ text: String) throws(AccessPolicyError) -> [[AccessToken]] {
        var statements: [[AccessToken]] = []
        var current: [AccessToken]? = nil
        var lineNumber = 0
        // `\r\n` is one Character (a grapheme cluster) in Swift: splitting on newline characters handles both.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let words = try self.words(trimmed, line: lineNumber)
            if line.first == " " || line.first == "\t" {
                guard current != nil else {
                    throw AccessPolicyError(
                        file: file, line: lineNumber, message: "indented line outside a rule (a rule starts with 'access to' in column 1)")
                }
                current?.append(contentsOf: words)
            } else {
                if let finished = current { statements.append(finished) }
                current = words
            }
        }
        if let finished = current { statements.append(finished) }
        return statements
    }

    private func words(_ text: Substring, line: Int) throws(AccessPolicyError) -> [AccessToken] {
        var words: [AccessToken] = []
        var word = ""
        var inWord = false
        var quoted = false
        var escaped = false
        for character in text {
            if quoted {
                if escaped {
                    word.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    quoted = false
                } else {
                    word.append(character)
                }
                continue
            }
            if character == " " || character == "\t" {
                if inWord { words.append(AccessToken(text: word, line: line)) }
                word = ""
                inWord = false
            } else if character == "\"" {
                quoted = true
                inWord = true
            } else {
                word.append(character)
                inWord = true
            }
        }
        guard !quoted else {
            throw AccessPolicyError(file: file, line: line, message: "unterminated quoted value")
        }
        if inWord { words.append(AccessToken(text: word, line: line)) }
        return words
    }
}

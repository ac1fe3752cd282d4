/// Shared pieces of the RFC 4512 description printers.
enum SchemaDescriptionPrinter {
    /// `NAME 'a'` or `NAME ( 'a' 'b' )`; nothing for no names.
    static func appendNames(_ names: [String], to parts: inout [String]) {
        switch names.count {
        case 0: return
        case 1: parts += ["NAME", SchemaTokenizer.quote(names[0])]
        default: parts += ["NAME", "("] + names.map(SchemaTokenizer.quote) + [")"]
        }
    }

    /// `KEYWORD oid` or `KEYWORD ( a $ b )`; nothing for an empty list.
    static func appendOIDs(_ oids: [String], keyword: String, to parts: inout [String]) {
        switch oids.count {
        case 0: return
        case 1: parts += [keyword, oids[0]]
        default: parts += [keyword, "(", oids.joined(separator: " $ "), ")"]
        }
    }

    /// `X-NAME 'v'` or `X-NAME ( 'v' 'w' )` for each extension.
    static func appendExtensions(_ extensions: [SchemaExtension], to parts: inout [String]) {
        for item in extensions {
            parts.append(item.name)
            if item.values.count == 1 {
                parts.append(SchemaTokenizer.quote(item.values[0]))
            } else {
                parts += ["("] + item.values.map(SchemaTokenizer.quote) + [")"]
            }
        }
    }

    /// The physical lines of a description, numbered from 1.
    static func lines(of text: String) -> [SchemaTokenizer.Line] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
            .map { ($0.offset + 1, $0.element) }
    }
}

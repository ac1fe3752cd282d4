/// Parses the TOML subset of ``ConfigFile`` from UTF-8 bytes, keeping the line of every key.
struct ConfigFileParser {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Every entry of the file, in order.
    mutating func parseFile() throws(ConfigFileError) -> [ConfigFileEntry] {
        var entries: [ConfigFileEntry] = []
        var table: String?
        var seenTables: Set<String> = []
        var seenKeys: [String: Int] = [:]
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try endOfLine()
            case UInt8(ascii: "["):
                let headerLine = line
                position += 1
                if peek() == UInt8(ascii: "[") {
                    throw error("arrays of tables ([[…]]) are not supported")
                }
                skipWhitespace()
                let name = try parseKey()
                skipWhitespace()
                guard peek() == UInt8(ascii: "]") else { throw error("expected ']' to close the table header") }
                position += 1
                guard seenTables.insert(name).inserted else {
                    throw ConfigFileError(line: headerLine, message: "table [\(name)] is defined twice")
                }
                table = name
                try endOfLine()
            default:
                let keyLine = line
                let key = try parseKey()
                skipWhitespace()
                guard peek() == UInt8(ascii: "=") else {
                    throw error("expected '=' after key '\(key)'")
                }
                position += 1
                skipWhitespace()
                let value = try parseValue()
                let qualified = (table.map { $0 + "." } ?? "") + key
                if let first = seenKeys[qualified] {
                    throw ConfigFileError(
                        line: keyLine, message: "key '\(key)' is already set on line \(first)")
                }
                seenKeys[qualified] = keyLine
                entries.append(ConfigFileEntry(table: table, key: key, value: value, line: keyLine))
                try endOfLine()
            }
        }
        return entries
    }

    // MARK: - Lexical pieces

    private func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private func error(_ message: String) -> ConfigFileError {
        ConfigFileError(line: line, message: message)
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
            position += 1
        }
    }

    /// Consumes an optional comment and the end of the line (or of the file).
    private mutating func endOfLine() throws(ConfigFileError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") {
            while let byte = peek(), byte != UInt8(ascii: "\n") {
                if byte < 0x20 && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") {
                    throw error("control character in a comment")
                }
                position += 1
            }
        }
        if peek() == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n") {
            position += 1
        }
        guard let byte = peek() else { return }
        guard byte == UInt8(ascii: "\n") else {
            throw error("unexpected '\(Self.printable(byte))' after the value; one setting per line")
        }
        position += 1
        line += 1
    }

    /// Whitespace, newlines and comments inside an array.
    private mutating func skipArraySpace() throws(ConfigFileError) {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "#"):
                try endOfLine()
            default:
                return
            }
        }
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    private static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private mutating func parseKey() throws(ConfigFileError) -> String {
        let key: String
        switch peek() {
        case UInt8(ascii: "\"")?:
            key = try parseBasicString()
        case UInt8(ascii: "'")?:
            key = try parseLiteralString()
        case let byte? where Self.isBareKeyByte(byte):
            let start = position
            while let byte = peek(), Self.isBareKeyByte(byte) {
                position += 1
            }
            key = String(decoding: bytes[start..<position], as: UTF8.self)
        case let byte?:
            throw error("expected a key, found '\(Self.printable(byte))'")
        case nil:
            throw error("expected a key at the end of the file")
        }
        skipWhitespace()
        if peek() == UInt8(ascii: ".") {
            throw error("dotted keys ('\(key).…') are not supported; use a [\(key)] table")
        }
        return key
    }

    // MARK: - Values

    private mutating func parseValue() throws(ConfigFileError) -> ConfigFileValue {
        guard let byte = peek() else { throw error("expected a value at the end of the file") }
        switch byte {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") {
                throw error("multi-line strings are not supported")
            }
            return .string(try parseBasicString())
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'") {
                throw error("multi-line strings are not supported")
            }
            return .string(try parseLiteralString())
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try parseInteger())
        case UInt8(ascii: "{"):
            throw error("inline tables are not supported; use a [table]")
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
            throw error("expected a value after '='")
        default:
            var word = ""
            while let byte = peek(), Self.isBareKeyByte(byte) || byte == UInt8(ascii: ".") {
                word.append(Character(UnicodeScalar(byte)))
                position += 1
            }
            if word == "true" || word == "false" { return .boolean(word == "true") }
            let shown = word.isEmpty ? Self.printable(byte) : word
            throw error("'\(shown)' is not a value; quote strings (\"…\")")
        }
    }

    private mutating func parseArray() throws(ConfigFileError) -> ConfigFileValue {
        position += 1  // [
        var elements: [ConfigFileValue] = []
        while true {
            try skipArraySpace()
            guard let byte = peek() else { throw error("unterminated array: expected ']'") }
            if byte == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            elements.append(try parseValue())
            try skipArraySpace()
            switch peek() {
            case UInt8(ascii: ",")?:
                position += 1
            case UInt8(ascii: "]")?:
                position += 1
                return .array(elements)
            case let other?:
                throw error("expected ',' or ']' in the array, found '\(Self.printable(other))'")
            case nil:
                throw error("unterminated array: expected ']'")
            }
        }
    }

    private mutating func parseInteger() throws(ConfigFileError) -> Int {
        var negative = false
        if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            position += 1
        }
        var digits: [UInt8] = []
        var previousWasDigit = false
        while let byte = peek() {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte)
                previousWasDigit = true
            } else if byte == UInt8(ascii: "_") && previousWasDigit {
                previousWasDigit = false
            } else if Self.isBareKeyByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") {
                throw error("only decimal integers are supported; quote sizes with units (\"256KiB\")")
            } else {
                break
            }
            position += 1
        }
        guard !digits.isEmpty, previousWasDigit else { throw error("malformed integer") }
        if digits.count > 1 && digits[0] == UInt8(ascii: "0") {
            throw error("leading zeros are not allowed in integers")
        }
        var value = 0
        for digit in digits {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw error("integer too large") }
            value = sum
        }
        return negative ? -value : value
    }

    private mutating func parseLiteralString() throws(ConfigFileError) -> String {
        position += 1  // '
        let start = position
        while let byte = peek(), byte != UInt8(ascii: "'") {
            if byte == UInt8(ascii: "\n") || (byte < 0x20 && byte != UInt8(ascii: "\t")) {
                throw error("unterminated string: expected \"'\" before the end of the line")
            }
            position += 1
        }
        guard peek() != nil else { throw error("unterminated string: expected \"'\"") }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        position += 1
        return text
    }

    private mutating func parseBasicString() throws(ConfigFileError) -> String {
        position += 1  // "
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("unterminated string: expected '\"'") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                utf8 += try parseEscape()
            case UInt8(ascii: "\n"):
                throw error("unterminated string: expected '\"' before the end of the line")
            case let control where control < 0x20 && control != UInt8(ascii: "\t"):
                throw error("control character in a string; write it as an escape")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func parseEscape() throws(ConfigFileError) -> [UInt8] {
        guard let byte = peek() else { throw error("unterminated string: expected '\"'") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return [UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): return [UInt8(ascii: "\\")]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard position + count <= bytes.count,
                let code = UInt32(String(decoding: bytes[position..<position + count], as: UTF8.self), radix: 16),
                let scalar = UnicodeScalar(code)
            else {
                let escape = byte == UInt8(ascii: "u") ? "\\u" : "\\U"
                throw error("invalid \(escape) escape: expected \(count) hex digits of a Unicode scalar")
            }
            position += count
            return Array(String(Character(scalar)).utf8)
        default:
            throw error("invalid escape '\\\(Self.printable(byte))' in a string")
        }
    }
}

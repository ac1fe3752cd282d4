/// A single-pass parser of the RFC 4514 string form of a distinguished name.
///
/// Every byte is looked at a bounded number of times, so parsing is linear in the input length.
/// Tolerated beyond the strict grammar, as OpenLDAP does: spaces around `,` `;` `+` and `=`,
/// and `;` as an RDN separator (RFC 4514 §4).
struct DNParser {
    private let bytes: [UInt8]
    private var position = 0

    /// Characters that may follow a backslash (RFC 4514 `special`, plus the backslash itself).
    private static func isEscapable(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "<"),
            UInt8(ascii: ">"), UInt8(ascii: "\\"), UInt8(ascii: "="), UInt8(ascii: "#"), UInt8(ascii: " "):
            return true
        default:
            return false
        }
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "+")
    }

    private static func isAlpha(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses the whole input; `validateUTF8` is false when the bytes come from a `String`.
    mutating func parse(validateUTF8: Bool, maximumLength: Int) throws(DNSyntaxError) -> [RelativeDistinguishedName] {
        guard self.bytes.count <= maximumLength else {
            throw DNSyntaxError(.tooLong(length: self.bytes.count, maximum: maximumLength), offset: maximumLength)
        }
        if validateUTF8, let invalid = UTF8Validation.firstInvalidOffset(in: self.bytes, range: self.bytes.indices) {
            throw DNSyntaxError(.invalidUTF8, offset: invalid)
        }
        self.skipSpaces()
        if self.position == self.bytes.count {
            return []
        }
        var rdns: [RelativeDistinguishedName] = []
        var current: [AttributeTypeAndValue] = []
        while true {
            current.append(try self.parseAttributeTypeAndValue())
            // The value parsers stop at a separator or at the end.
            guard self.position < self.bytes.count else { break }
            let separator = self.bytes[self.position]
            self.position += 1
            if separator != UInt8(ascii: "+") {
                rdns.append(RelativeDistinguishedName(attributes: current)!)
                current = []
            }
            self.skipSpaces()
            guard self.position < self.bytes.count else {
                throw DNSyntaxError(.emptyRDN, offset: self.position)
            }
        }
        rdns.append(RelativeDistinguishedName(attributes: current)!)
        return rdns
    }

    private mutating func skipSpaces() {
        while self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: " ") {
            self.position += 1
        }
    }

    private mutating func parseAttributeTypeAndValue() throws(DNSyntaxError) -> AttributeTypeAndValue {
        let type = try self.parseType()
        self.skipSpaces()
        guard self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: "=") else {
            throw DNSyntaxError(.missingEquals(found: self.character(at: self.position)), offset: self.position)
        }
        self.position += 1
        self.skipSpaces()
        if self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: "#") {
            return AttributeTypeAndValue(type: type, value: try self.parseHexValue(), isHexForm: true)
        }
        return AttributeTypeAndValue(type: type, value: try self.parseStringValue(), isHexForm: false)
    }

    /// `attributeType = descr / numericoid` (RFC 4512 §1.4).
    private mutating func parseType() throws(DNSyntaxError) -> String {
        let start = self.position
        guard start < self.bytes.count else {
            throw DNSyntaxError(.emptyAttributeType, offset: start)
        }
        let first = self.bytes[start]
        if Self.isAlpha(first) {
            while self.position < self.bytes.count {
                let byte = self.bytes[self.position]
                guard Self.isAlpha(byte) || Self.isDigit(byte) || byte == UInt8(ascii: "-") else { break }
                self.position += 1
            }
        } else if Self.isDigit(first) {
            while self.position < self.bytes.count {
                let byte = self.bytes[self.position]
                guard Self.isDigit(byte) || byte == UInt8(ascii: ".") else { break }
                self.position += 1
            }
        } else if first == UInt8(ascii: "=") {
            throw DNSyntaxError(.emptyAttributeType, offset: start)
        }
        // Anything but a space or '=' right after the type means a character no type may contain.
        if self.position == start
            || (self.position < self.bytes.count && self.bytes[self.position] != UInt8(ascii: " ")
                && self.bytes[self.position] != UInt8(ascii: "=")
                && !Self.isSeparator(self.bytes[self.position]))
        {
            var end = self.position
            while end < self.bytes.count, self.bytes[end] != UInt8(ascii: "="), !Self.isSeparator(self.bytes[end]) {
                end += 1
            }
            guard end > start else {
                throw DNSyntaxError(.emptyAttributeType, offset: start)
            }
            let token = String(decoding: self.bytes[start..<end], as: UTF8.self)
            throw DNSyntaxError(.invalidAttributeType(token), offset: start)
        }
        let type = String(decoding: self.bytes[start..<self.position], as: UTF8.self)
        if Self.isDigit(first), !Self.isNumericOID(self.bytes[start..<self.position]) {
            throw DNSyntaxError(.invalidNumericOID(type), offset: start)
        }
        return type
    }

    /// `numericoid = number 1*( DOT number )`, `number = DIGIT / ( LDIGIT 1*DIGIT )`.
    static func isNumericOID(_ bytes: ArraySlice<UInt8>) -> Bool {
        var arcs = 0
        var arcLength = 0
        var arcStartsWithZero = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard arcLength > 0 else { return false }
                arcs += 1
                arcLength = 0
            } else if Self.isDigit(byte) {
                if arcLength == 0 {
                    arcStartsWithZero = byte == UInt8(ascii: "0")
                } else if arcStartsWithZero {
                    return false
                }
                arcLength += 1
            } else {
                return false
            }
        }
        return arcLength > 0 && arcs >= 1
    }

    /// A string value up to the next unescaped separator; unescaped trailing spaces are dropped.
    private mutating func parseStringValue() throws(DNSyntaxError) -> [UInt8] {
        let start = self.position
        var value: [UInt8] = []
        var significantCount = 0
        scan: while self.position < self.bytes.count {
            let byte = self.bytes[self.position]
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "+"):
                break scan
            case UInt8(ascii: "\\"):
                let escapeStart = self.position
                self.position += 1
                guard self.position < self.bytes.count else {
                    throw DNSyntaxError(.invalidEscape, offset: escapeStart)
                }
                let next = self.bytes[self.position]
                if let high = DNHex.value(next) {
                    guard self.position + 1 < self.bytes.count, let low = DNHex.value(self.bytes[self.position + 1])
                    else {
                        throw DNSyntaxError(.invalidEscape, offset: escapeStart)
                    }
                    value.append(high << 4 | low)
                    self.position += 2
                } else if Self.isEscapable(next) {
                    value.append(next)
                    self.position += 1
                } else {
                    throw DNSyntaxError(.invalidEscape, offset: escapeStart)
                }
                significantCount = value.count
            case UInt8(ascii: " "):
                value.append(byte)
                self.position += 1
            case 0, UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"):
                throw DNSyntaxError(.unescapedCharacter(Character(Unicode.Scalar(byte))), offset: self.position)
            default:
                value.append(byte)
                self.position += 1
                significantCount = value.count
            }
        }
        value.removeLast(value.count - significantCount)
        if let invalid = UTF8Validation.firstInvalidOffset(in: value, range: value.indices) {
            throw DNSyntaxError(.invalidUTF8, offset: self.sourceOffset(ofValueByte: invalid, valueStart: start))
        }
        return value
    }

    /// Maps an offset in a decoded value back to the input, to point at the escape that produced it.
    private func sourceOffset(ofValueByte target: Int, valueStart: Int) -> Int {
        var source = valueStart
        var produced = 0
        while produced < target, source < self.bytes.count {
            if self.bytes[source] == UInt8(ascii: "\\"), source + 1 < self.bytes.count,
                DNHex.value(self.bytes[source + 1]) != nil
            {
                source += 3
            } else if self.bytes[source] == UInt8(ascii: "\\") {
                source += 2
            } else {
                source += 1
            }
            produced += 1
        }
        return source
    }

    /// `hexstring = SHARP 1*hexpair`, holding the BER encoding of one value.
    private mutating func parseHexValue() throws(DNSyntaxError) -> [UInt8] {
        let start = self.position
        self.position += 1  // '#'
        var value: [UInt8] = []
        while self.position < self.bytes.count, let high = DNHex.value(self.bytes[self.position]) {
            guard self.position + 1 < self.bytes.count, let low = DNHex.value(self.bytes[self.position + 1]) else {
                throw DNSyntaxError(.invalidHexValue("odd number of hex digits"), offset: self.position)
            }
            value.append(high << 4 | low)
            self.position += 2
        }
        guard !value.isEmpty else {
            throw DNSyntaxError(.invalidHexValue("no hex digits after '#'"), offset: start)
        }
        self.skipSpaces()
        if self.position < self.bytes.count, !Self.isSeparator(self.bytes[self.position]) {
            throw DNSyntaxError(
                .unexpectedCharacterAfterHexValue(self.character(at: self.position) ?? "?"),
                offset: self.position
            )
        }
        if let problem = Self.berProblem(value) {
            throw DNSyntaxError(.invalidHexValue(problem), offset: start)
        }
        return value
    }

    /// Why `bytes` is not exactly one definite-length BER element, or `nil` when it is.
    static func berProblem(_ bytes: [UInt8]) -> String? {
        var index = 1
        if bytes[0] & 0x1F == 0x1F {
            // High tag number: continuation octets with bit 8 set, ended by one without.
            while index < bytes.count, bytes[index] & 0x80 != 0 {
                index += 1
            }
            guard index < bytes.count else { return "the BER tag is truncated" }
            index += 1
        }
        guard index < bytes.count else { return "the BER length is missing" }
        let lengthByte = bytes[index]
        index += 1
        var length = 0
        if lengthByte < 0x80 {
            length = Int(lengthByte)
        } else if lengthByte == 0x80 {
            return "the BER value uses the indefinite length form"
        } else {
            let lengthOctets = Int(lengthByte & 0x7F)
            guard lengthOctets <= 4 else { return "the BER length is too large" }
            guard index + lengthOctets <= bytes.count else { return "the BER length is truncated" }
            for octet in bytes[index..<(index + lengthOctets)] {
                length = length << 8 | Int(octet)
            }
            index += lengthOctets
        }
        guard bytes.count - index == length else {
            return "the BER length says \(length) content bytes but \(bytes.count - index) follow"
        }
        return nil
    }

    /// The character starting at `offset`, for error messages; `nil` at the end of the input.
    private func character(at offset: Int) -> Character? {
        guard offset < self.bytes.count else { return nil }
        let end = min(offset + 4, self.bytes.count)
        let decoded = String(decoding: self.bytes[offset..<end], as: UTF8.self)
        return decoded.unicodeScalars.first.map(Character.init)
    }
}

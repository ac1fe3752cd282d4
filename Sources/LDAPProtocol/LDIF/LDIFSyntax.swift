/// Character classes and small checks of the RFC 2849 grammar, shared by the reader and the writer.
enum LDIFSyntax {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let colon: UInt8 = 0x3A
    static let lessThan: UInt8 = 0x3C
    static let hash: UInt8 = 0x23
    static let hyphen: UInt8 = 0x2D
    static let semicolon: UInt8 = 0x3B
    static let dot: UInt8 = 0x2E

    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    static func isKeyChar(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || byte == hyphen
    }

    /// ASCII lower-casing, for the case-insensitive keywords and attribute descriptions of LDIF.
    static func lowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// Whether `bytes` equal the lower-case ASCII `keyword`, ignoring ASCII case.
    static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ keyword: StaticString) -> Bool {
        guard bytes.count == keyword.utf8CodeUnitCount else { return false }
        return keyword.withUTF8Buffer { expected in
            zip(bytes, expected).allSatisfy { lhs, rhs in
                (lhs >= 0x41 && lhs <= 0x5A ? lhs + 0x20 : lhs) == rhs
            }
        }
    }

    /// `numericoid = number 1*( DOT number )` with `number = DIGIT / ( LDIGIT 1*DIGIT )` (RFC 4512 §1.4).
    static func isNumericOID(_ bytes: some Collection<UInt8>) -> Bool {
        var components = 0
        var digits = 0
        var leadingZero = false
        for byte in bytes {
            if isDigit(byte) {
                if digits == 1 && leadingZero { return false }
                if digits == 0 { leadingZero = byte == 0x30 }
                digits += 1
            } else if byte == dot {
                guard digits > 0 else { return false }
                components += 1
                digits = 0
            } else {
                return false
            }
        }
        guard digits > 0 else { return false }
        return components + 1 >= 2
    }

    /// `AttributeDescription = AttributeType [";" options]` where the type is a numeric OID or
    /// `ALPHA *(ALPHA / DIGIT / "-")` and each option is `1*(ALPHA / DIGIT / "-")` (RFC 2849, RFC 4512 §2.5).
    static func isAttributeDescription(_ bytes: some Collection<UInt8>) -> Bool {
        let parts = bytes.split(separator: semicolon, omittingEmptySubsequences: false)
        guard let type = parts.first, let first = type.first else { return false }
        if isDigit(first) {
            guard isNumericOID(type) else { return false }
        } else {
            guard isAlpha(first), type.allSatisfy(isKeyChar) else { return false }
        }
        return parts.dropFirst().allSatisfy { !$0.isEmpty && $0.allSatisfy(isKeyChar) }
    }

    /// Whether `value` may be written as is after `name: ` (RFC 2849 `SAFE-STRING`), and will read back
    /// unchanged: ASCII without NUL, CR or LF, not starting with space, `:` or `<`, not ending with space.
    static func isSafeString(_ value: some Collection<UInt8>) -> Bool {
        guard let first = value.first else { return true }
        if first == space || first == colon || first == lessThan { return false }
        var last = first
        for byte in value {
            if byte == 0 || byte == lineFeed || byte == carriageReturn || byte >= 0x80 { return false }
            last = byte
        }
        return last != space
    }
}

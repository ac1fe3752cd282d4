/// The OID syntax (RFC 4512 §1.4): `oid = descr / numericoid`.
enum ObjectIdentifierSyntax {
    static func violation(in value: ArraySlice<UInt8>) -> String? {
        guard let first = value.first else { return "empty value" }
        if SyntaxCheck.isDigit(first) {
            return self.numericOIDViolation(value)
        }
        guard Self.isAlpha(first) else {
            return "an OID starts with a letter (descriptor) or a digit (numeric OID)"
        }
        if let index = value.firstIndex(where: { !Self.isAlpha($0) && !SyntaxCheck.isDigit($0) && $0 != 0x2D }) {
            return "a descriptor holds only letters, digits and '-', found byte 0x\(String(value[index], radix: 16))"
        }
        return nil
    }

    /// numericoid = number 1*( DOT number ); number = DIGIT / ( LDIGIT 1*DIGIT ).
    static func numericOIDViolation(_ value: ArraySlice<UInt8>) -> String? {
        var arcs = 0
        var arcStart = value.startIndex
        var index = value.startIndex
        while true {
            if index == value.endIndex || value[index] == UInt8(ascii: ".") {
                let length = index - arcStart
                if length == 0 { return "empty arc in numeric OID" }
                if length > 1 && value[arcStart] == UInt8(ascii: "0") { return "arc with a leading zero" }
                arcs += 1
                if index == value.endIndex { break }
                arcStart = index + 1
            } else if !SyntaxCheck.isDigit(value[index]) {
                return "a numeric OID holds only digits and dots"
            }
            index += 1
        }
        return arcs < 2 ? "a numeric OID has at least two arcs" : nil
    }

    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }
}

/// The INTEGER syntax (RFC 4517 §3.3.16): `"0"` or an optional `-` and digits without a leading
/// zero, of any length; and the order-preserving byte form integerMatch stores.
enum IntegerValue {
    static func violation(in value: [UInt8]) -> String? {
        self.violation(in: value[...])
    }

    static func violation(in value: ArraySlice<UInt8>) -> String? {
        guard let first = value.first else { return "empty value" }
        let digits = first == UInt8(ascii: "-") ? value.dropFirst() : value
        guard let lead = digits.first else { return "'-' without digits" }
        if let index = digits.firstIndex(where: { !SyntaxCheck.isDigit($0) }) {
            return "an integer holds only digits after an optional '-', found byte 0x\(String(value[index], radix: 16))"
        }
        if lead == UInt8(ascii: "0") {
            if digits.count > 1 { return "leading zero" }
            if first == UInt8(ascii: "-") { return "-0 is not allowed" }
        }
        return nil
    }

    /// The order-preserving encoding of a valid integer: byte comparison of two encodings orders
    /// them as the numbers they encode, whatever their size.
    ///
    /// Zero is `80`; a positive number is `81`, its digit count (one byte below 255, else `FF`
    /// and four big-endian bytes), then its ASCII digits; a negative number is `7F` followed by
    /// the bitwise complement of the encoding of its magnitude without the `81`, so a longer or
    /// larger magnitude sorts first.
    static func orderPreservingEncoding(_ value: ArraySlice<UInt8>) -> [UInt8] {
        let negative = value.first == UInt8(ascii: "-")
        let digits = negative ? value.dropFirst() : value
        if digits.count == 1 && digits.first == UInt8(ascii: "0") {
            return [0x80]
        }
        var output: [UInt8] = []
        output.reserveCapacity(digits.count + 6)
        output.append(negative ? 0x7F : 0x81)
        let count = digits.count
        let mask: UInt8 = negative ? 0xFF : 0x00
        if count < 255 {
            output.append(UInt8(count) ^ mask)
        } else {
            output.append(0xFF ^ mask)
            let length = UInt32(clamping: count)
            for shift in stride(from: 24, through: 0, by: -8) {
                output.append(UInt8(truncatingIfNeeded: length >> UInt32(shift)) ^ mask)
            }
        }
        for digit in digits {
            output.append(digit ^ mask)
        }
        return output
    }
}

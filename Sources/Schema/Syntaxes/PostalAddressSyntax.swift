/// The Postal Address syntax (RFC 4517 §3.3.28): lines separated by `$`, in which `\24`
/// stands for `$` and `\5C` for `\`; no other backslash is allowed and no line is empty.
enum PostalAddressSyntax {
    static func violation(in value: [UInt8]) -> String? {
        if let reason = SyntaxCheck.utf8Violation(value) { return reason }
        switch self.lines(of: value) {
        case .success: return nil
        case .failure(let failure): return failure.reason
        }
    }

    struct Failure: Error {
        var reason: String
    }

    /// The unescaped lines of a postal address.
    static func lines(of value: [UInt8]) -> Result<[[UInt8]], Failure> {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var index = 0
        while index < value.count {
            let byte = value[index]
            if byte == UInt8(ascii: "$") {
                if line.isEmpty { return .failure(Failure(reason: "empty line \(lines.count + 1)")) }
                lines.append(line)
                line = []
                index += 1
            } else if byte == UInt8(ascii: "\\") {
                guard index + 2 < value.count else {
                    return .failure(Failure(reason: "'\\' at offset \(index) must be followed by 24 or 5C"))
                }
                let pair = (value[index + 1], value[index + 2] | 0x20)
                if pair == (UInt8(ascii: "2"), UInt8(ascii: "4")) {
                    line.append(UInt8(ascii: "$"))
                } else if pair == (UInt8(ascii: "5"), UInt8(ascii: "c")) {
                    line.append(UInt8(ascii: "\\"))
                } else {
                    return .failure(Failure(reason: "'\\' at offset \(index) must be followed by 24 or 5C"))
                }
                index += 3
            } else {
                line.append(byte)
                index += 1
            }
        }
        if line.isEmpty { return .failure(Failure(reason: "empty line \(lines.count + 1)")) }
        lines.append(line)
        return .success(lines)
    }

    /// Escapes one line for the `$`-separated form.
    static func appendEscaped(_ line: [UInt8], to output: inout [UInt8]) {
        for byte in line {
            switch byte {
            case UInt8(ascii: "$"): output.append(contentsOf: "\\24".utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: "\\5C".utf8)
            default: output.append(byte)
            }
        }
    }
}

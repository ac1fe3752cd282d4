import Foundation

/// Steps 1–4 of RFC 4518 §2 for input that is not pure ASCII.
enum UnicodePreparation {
    static func prepare(_ value: [UInt8], fold: Bool) throws(StringPreparationError) -> [UInt8] {
        guard let string = String(validating: value, as: UTF8.self) else {
            throw .invalidUTF8(offset: Self.firstInvalidUTF8Offset(value))
        }
        var mapped = String.UnicodeScalarView()
        var needsNormalization = false
        for scalar in string.unicodeScalars {
            self.map(scalar, fold: fold, into: &mapped)
        }
        for scalar in mapped where !Self.isStableUnderNFKC(scalar) {
            needsNormalization = true
            break
        }
        var result = String(mapped)
        if needsNormalization {
            result = result.precomposedStringWithCompatibilityMapping
            // Table B.2 folds the characters whose NFKC form has upper case (ℌ → h, ㎒ → mhz):
            // fold again after normalising, and normalise what that changed.
            if fold, result.unicodeScalars.contains(where: CaseFolding.changes) {
                var refolded = String.UnicodeScalarView()
                for scalar in result.unicodeScalars {
                    CaseFolding.fold(scalar, into: &refolded)
                }
                result = String(refolded).precomposedStringWithCompatibilityMapping
            }
        }
        for scalar in result.unicodeScalars where Self.isProhibited(scalar) {
            throw .prohibitedCodePoint(scalar.value)
        }
        return Array(result.utf8)
    }

    /// The Map step (RFC 4518 §2.2) for one scalar.
    @inline(__always)
    static func map(_ scalar: Unicode.Scalar, fold: Bool, into output: inout String.UnicodeScalarView) {
        switch scalar.value {
        case 0x09...0x0D, 0x85:
            output.append(" ")
        case 0x00...0x08, 0x0E...0x1F, 0x7F...0x84, 0x86...0x9F:
            return  // other control codes
        case 0xAD, 0x034F, 0x1806, 0x180B...0x180D, 0xFE00...0xFE0F, 0xFFFC, 0x200B, 0xE0100...0xE01EF:
            return  // soft hyphens, joiners, variation selectors, object replacement, ZWSP
        case 0x06DD, 0x070F, 0x180E, 0x200C...0x200F, 0x202A...0x202E, 0x2060...0x2063, 0x206A...0x206F,
            0xFEFF, 0xFFF9...0xFFFB, 0x1D173...0x1D17A, 0xE0001, 0xE0020...0xE007F:
            return  // code points with a control function
        case 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            output.append(" ")
        case 0x21..<0x80, 0xA1..<0x300:
            if fold {
                CaseFolding.fold(scalar, into: &output)
            } else {
                output.append(scalar)
            }
        default:
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator:
                output.append(" ")
            default:
                if fold {
                    CaseFolding.fold(scalar, into: &output)
                } else {
                    output.append(scalar)
                }
            }
        }
    }

    /// Whether NFKC leaves `scalar` alone when no unstable scalar surrounds it: ASCII and the
    /// Latin-1 characters without a compatibility decomposition (a combining mark after `e` is
    /// itself unstable, so `e` + U+0301 still goes through normalisation).
    @inline(__always)
    static func isStableUnderNFKC(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x80: return true
        case 0xA8, 0xAA, 0xAF, 0xB2...0xB5, 0xB8...0xBA, 0xBC...0xBE: return false
        case 0xA0..<0x100: return true  // precomposed letters are NFC; a following mark is not stable
        default: return false
        }
    }

    /// The Prohibit step (RFC 4518 §2.4): unassigned (in this toolchain's Unicode version),
    /// private use, non-characters, U+FFFD, and the deprecated format characters of table C.8
    /// that NFKC keeps.
    @inline(__always)
    static func isProhibited(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x300 { return false }
        if value == 0xFFFD || value == 0x0340 || value == 0x0341 { return true }
        let properties = scalar.properties
        if properties.isNoncharacterCodePoint { return true }
        if properties.age == nil { return true }
        return properties.generalCategory == .privateUse
    }

    static func firstInvalidUTF8Offset(_ value: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = value.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return offset
            }
        }
    }
}

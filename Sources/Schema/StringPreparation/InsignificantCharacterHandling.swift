/// Step 6 of RFC 4518 §2 over prepared UTF-8.
///
/// A space is U+0020 not followed by a combining mark (a space carrying a mark is a character
/// of its own); a hyphen likewise.
enum InsignificantCharacterHandling {
    static let space: UInt8 = 0x20

    static func apply(
        _ handling: StringPreparation.InsignificantCharacters,
        to value: [UInt8],
        position: SubstringPosition?
    ) -> [UInt8] {
        switch handling {
        case .spaces:
            return self.handleSpaces(value, position: position)
        case .numericString:
            return self.remove(from: value, hyphens: false)
        case .telephoneNumber:
            return self.remove(from: value, hyphens: true)
        }
    }

    /// §2.6.1. `position` is `nil` for values and non-substring assertions.
    ///
    /// Combining marks at the very start of the string (a defective combining sequence) are
    /// dropped: the SPACE the RFC puts in front would otherwise carry them and turn into a
    /// character, so preparing a prepared string would change it again.
    static func handleSpaces(_ value: [UInt8], position: SubstringPosition?) -> [UInt8] {
        let count = value.count
        var start = 0
        while start < count && value[start] >= 0xCC && self.isFollowedByCombiningMark(value, after: start) {
            start += self.decode(value, at: start).1
        }
        let contentStart = start
        while start < count && self.isSpace(value, at: start) {
            start += 1
        }
        let hadLeadingSpaces = start > contentStart
        guard start < count else {
            return position == nil ? [space, space] : [space]
        }
        var end = count
        while end > start && value[end - 1] == space && self.isSpace(value, at: end - 1) {
            end -= 1
        }
        var output: [UInt8] = []
        output.reserveCapacity(end - start + 2 + (end - start) / 4)
        switch position {
        case nil, .initial:
            output.append(space)
        case .any, .final:
            if hadLeadingSpaces { output.append(space) }
        }
        var pendingSpaces = false
        var index = start
        while index < end {
            let byte = value[index]
            if byte == space && self.isSpace(value, at: index) {
                pendingSpaces = true
            } else {
                if pendingSpaces {
                    output.append(space)
                    output.append(space)
                    pendingSpaces = false
                }
                output.append(byte)
            }
            index += 1
        }
        switch position {
        case nil, .final:
            output.append(space)
        case .initial, .any:
            if end < count { output.append(space) }
        }
        return output
    }

    /// §2.6.2 (spaces) and §2.6.3 (spaces and hyphens): removes them all.
    static func remove(from value: [UInt8], hyphens: Bool) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(value.count)
        var index = 0
        let count = value.count
        while index < count {
            let byte = value[index]
            if byte < 0x80 {
                let removable = byte == space || (hyphens && byte == UInt8(ascii: "-"))
                if !(removable && !self.isFollowedByCombiningMark(value, after: index + 1)) {
                    output.append(byte)
                }
                index += 1
                continue
            }
            let (scalar, length) = self.decode(value, at: index)
            let isHyphen = hyphens && Self.isHyphen(scalar)
            if !(isHyphen && !self.isFollowedByCombiningMark(value, after: index + length)) {
                output.append(contentsOf: value[index..<min(index + length, count)])
            }
            index += length
        }
        return output
    }

    /// The hyphens of RFC 4518 §2.6.3 (the full-width and small ones become U+002D under NFKC).
    static func isHyphen(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x2D, 0x058A, 0x2010, 0x2011, 0x2212, 0xFE63, 0xFF0D: return true
        default: return false
        }
    }

    @inline(__always)
    static func isSpace(_ value: [UInt8], at index: Int) -> Bool {
        value[index] == space && !self.isFollowedByCombiningMark(value, after: index + 1)
    }

    /// Whether the scalar starting at `index` is a combining mark (`Mn`, `Mc`, `Me`).
    @inline(__always)
    static func isFollowedByCombiningMark(_ value: [UInt8], after index: Int) -> Bool {
        // Combining marks start at U+0300, whose UTF-8 lead byte is 0xCC.
        guard index < value.count, value[index] >= 0xCC else { return false }
        let (scalarValue, _) = self.decode(value, at: index)
        guard let scalar = Unicode.Scalar(scalarValue) else { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Decodes the scalar at `index` of valid UTF-8, returning its value and length.
    @inline(__always)
    static func decode(_ value: [UInt8], at index: Int) -> (UInt32, Int) {
        let lead = value[index]
        let count = value.count
        func continuation(_ offset: Int) -> UInt32 {
            index + offset < count ? UInt32(value[index + offset] & 0x3F) : 0
        }
        switch lead {
        case 0..<0x80:
            return (UInt32(lead), 1)
        case 0xC0..<0xE0:
            return ((UInt32(lead & 0x1F) << 6) | continuation(1), 2)
        case 0xE0..<0xF0:
            return ((UInt32(lead & 0x0F) << 12) | (continuation(1) << 6) | continuation(2), 3)
        default:
            return (
                (UInt32(lead & 0x07) << 18) | (continuation(1) << 12) | (continuation(2) << 6) | continuation(3),
                4
            )
        }
    }
}

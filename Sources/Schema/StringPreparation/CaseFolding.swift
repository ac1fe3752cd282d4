/// Case folding for the Map step of RFC 4518 §2.2 (which names table B.2 of RFC 3454: full
/// Unicode case folding plus the mappings that keep it stable under NFKC).
///
/// The standard library has no case-folding mapping, and `lowercased()` is not folding (`ß`,
/// `ẞ`, `ς`, `ſ`, `µ` and the Greek iota-subscript letters stay apart from their folded forms).
/// A scalar that changes under folding is mapped to the lower case of its full upper case,
/// repeated once more when the result still changes (so `ẞ` → `ß` → `ss`). This agrees with
/// CaseFolding.txt's full (`C` + `F`) mappings for every letter whose folding is not to itself,
/// including the Cherokee lower-case letters, which fold to their upper case. The NFKC part of
/// table B.2 is obtained by folding again after normalisation (see ``UnicodePreparation``).
enum CaseFolding {
    /// Appends the case-folded form of `scalar` to `output`.
    @inline(__always)
    static func fold(_ scalar: Unicode.Scalar, into output: inout String.UnicodeScalarView) {
        let value = scalar.value
        if value < 0x80 {
            if value >= 0x41 && value <= 0x5A {
                output.append(Unicode.Scalar(UInt8(value) | 0x20))
            } else {
                output.append(scalar)
            }
            return
        }
        // Latin-1 upper case letters other than × fold by adding 0x20.
        if value >= 0xC0 && value <= 0xDE && value != 0xD7 {
            output.append(Unicode.Scalar(UInt8(value) | 0x20))
            return
        }
        guard scalar.properties.changesWhenCaseFolded else {
            output.append(scalar)
            return
        }
        self.foldSlow(scalar, into: &output, depth: 0)
    }

    private static func foldSlow(_ scalar: Unicode.Scalar, into output: inout String.UnicodeScalarView, depth: Int) {
        let upper = scalar.properties.uppercaseMapping.unicodeScalars
        // Cherokee lower-case letters fold to upper case: lower(upper(x)) gives x back.
        if upper.count == 1, let only = upper.first, only != scalar,
            only.properties.lowercaseMapping.unicodeScalars.elementsEqual(CollectionOfOne(scalar))
        {
            if !only.properties.changesWhenCaseFolded {
                output.append(only)
                return
            }
        }
        for upperScalar in upper {
            for lower in upperScalar.properties.lowercaseMapping.unicodeScalars {
                if depth == 0 && lower != scalar && lower.properties.changesWhenCaseFolded {
                    self.foldSlow(lower, into: &output, depth: 1)
                } else {
                    output.append(lower)
                }
            }
        }
    }

    /// Whether folding `scalar` could change it (a cheap test before a second folding pass).
    @inline(__always)
    static func changes(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value >= 0x41 && value <= 0x5A }
        return scalar.properties.changesWhenCaseFolded
    }
}

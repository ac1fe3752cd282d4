/// LDAP internationalized string preparation (RFC 4518 §2): the six steps that turn a character
/// string value into the form its matching rule compares with plain byte comparison.
///
/// 1. **Transcode**: values are UTF-8 already; invalid UTF-8 is refused.
/// 2. **Map**: soft hyphens, joiners, variation selectors and other control and format
///    characters are removed; tab, line breaks and every separator (`Zs`, `Zl`, `Zp`) become
///    SPACE; for case-ignoring rules, characters are case folded (see ``CaseFolding``).
/// 3. **Normalize**: Unicode Normalization Form KC.
/// 4. **Prohibit**: unassigned, private use and non-character code points and U+FFFD fail.
/// 5. **Check bidi**: nothing to do (RFC 4518 §2.5).
/// 6. **Insignificant character handling**, per rule: spaces (§2.6.1), numeric strings (§2.6.2)
///    or telephone numbers (§2.6.3).
///
/// The result is UTF-8. Two values match under the rule exactly when their prepared forms are
/// equal, and code point order (the rule's ordering) is the byte order of the prepared forms.
/// Pure-ASCII input takes a single-pass path with no Unicode tables and no Foundation.
public enum StringPreparation {
    /// Whether the Map step case folds.
    public enum CaseHandling: Hashable, Sendable {
        /// Keep case (caseExact rules).
        case preserve
        /// Case fold (caseIgnore, numeric and telephone number rules).
        case fold
    }

    /// The insignificant character handling of RFC 4518 §2.6 that a rule applies.
    public enum InsignificantCharacters: Hashable, Sendable {
        /// §2.6.1: leading, trailing and repeated spaces do not count.
        case spaces
        /// §2.6.2: every space is removed.
        case numericString
        /// §2.6.3: every space and hyphen is removed.
        case telephoneNumber
    }

    /// Prepares an attribute value or a (non-substring) assertion value.
    ///
    /// With ``InsignificantCharacters/spaces`` the output is in the exact form RFC 4518 §2.6.1
    /// gives: one SPACE at each end and every inner run of spaces replaced by two SPACEs
    /// (`"  Foo   Bar"` → `" foo  bar "`), or two SPACEs for a value with no other character.
    public static func prepare(
        _ value: [UInt8],
        case caseHandling: CaseHandling,
        insignificant: InsignificantCharacters
    ) throws(StringPreparationError) -> [UInt8] {
        let mapped = try self.mapNormalizeProhibit(value, fold: caseHandling == .fold)
        return InsignificantCharacterHandling.apply(insignificant, to: mapped, position: nil)
    }

    /// Prepares one piece of a substring assertion (RFC 4518 §2.6.1, substring values).
    ///
    /// An `initial` piece starts with one SPACE, a `final` piece ends with one, and spaces
    /// at the other ends are kept as one SPACE when present; a piece of spaces only becomes
    /// one SPACE. Inner runs of spaces are replaced by two SPACEs, as in prepared values (the
    /// RFC leaves them alone, which would make `*o b*` unable to match `foo bar`; see
    /// docs/matching-rules.md).
    public static func prepareSubstring(
        _ piece: [UInt8],
        position: SubstringPosition,
        case caseHandling: CaseHandling,
        insignificant: InsignificantCharacters
    ) throws(StringPreparationError) -> [UInt8] {
        let mapped = try self.mapNormalizeProhibit(piece, fold: caseHandling == .fold)
        return InsignificantCharacterHandling.apply(insignificant, to: mapped, position: position)
    }

    /// Steps 1–4: UTF-8 in, mapped, NFKC-normalised and checked UTF-8 out.
    static func mapNormalizeProhibit(_ value: [UInt8], fold: Bool) throws(StringPreparationError) -> [UInt8] {
        if let ascii = self.mapASCII(value, fold: fold) {
            return ascii
        }
        return try UnicodePreparation.prepare(value, fold: fold)
    }

    /// The Map step for input that is all ASCII (for which NFKC and Prohibit do nothing), or
    /// `nil` when a byte is not ASCII.
    @inline(__always)
    static func mapASCII(_ value: [UInt8], fold: Bool) -> [UInt8]? {
        var needsWork = false
        for byte in value {
            if byte >= 0x80 { return nil }
            if byte < 0x20 || byte == 0x7F || (fold && byte >= 0x41 && byte <= 0x5A) {
                needsWork = true
            }
        }
        guard needsWork else { return value }
        var output: [UInt8] = []
        output.reserveCapacity(value.count)
        for byte in value {
            switch byte {
            case 0x09...0x0D:
                output.append(0x20)
            case 0x00...0x08, 0x0E...0x1F, 0x7F:
                continue
            case 0x41...0x5A where fold:
                output.append(byte | 0x20)
            default:
                output.append(byte)
            }
        }
        return output
    }
}

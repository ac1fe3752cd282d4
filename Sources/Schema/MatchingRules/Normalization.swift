import LDAPProtocol

/// How a built-in rule normalises values.
indirect enum Normalization: Sendable {
    /// RFC 4518 string preparation, after checking the characters allowed by `repertoire`.
    case prepared(StringPreparation.CaseHandling, StringPreparation.InsignificantCharacters, Repertoire)
    /// The value's octets as they are.
    case octets
    /// ``IntegerValue/orderPreservingEncoding(_:)``.
    case integer
    /// `TRUE` or `FALSE`.
    case boolean
    /// ``GeneralizedTime/canonicalUTC``.
    case generalizedTime
    /// Numeric OIDs as written, descriptors lower-cased.
    case objectIdentifier
    /// Lower-case 36-character UUID.
    case uuid
    /// The bit string as written.
    case bitString
    /// The RFC 4514 string of the DN normalised by `normalizer`.
    case distinguishedName(SchemaDNNormalizer)
    /// The normalised DN and the optional bit string.
    case nameAndOptionalUID(SchemaDNNormalizer)
    /// Postal-address lines, each prepared as for caseIgnoreMatch, joined by NUL (which
    /// preparation removes from lines, so no substring piece can span two lines).
    case caseIgnoreList
    /// For values, the first component of a parenthesised description (`( 2.5.4.3 NAME … )`)
    /// normalised by `inner`; assertions are normalised by `inner` directly.
    case firstComponent(Normalization)

    /// The characters a string rule accepts before preparing.
    enum Repertoire: Sendable {
        case unicode
        case ia5
        case numeric
        case printable
    }

    var supportsSubstrings: Bool {
        switch self {
        case .prepared, .caseIgnoreList: return true
        default: return false
        }
    }

    func normalize(_ value: [UInt8], assertion: Bool, rule: String) throws(MatchingError) -> [UInt8] {
        switch self {
        case .prepared(let caseHandling, let insignificant, let repertoire):
            try Self.check(value, repertoire, rule: rule)
            do {
                return try StringPreparation.prepare(value, case: caseHandling, insignificant: insignificant)
            } catch {
                throw MatchingError(rule: rule, reason: error.description)
            }
        case .octets:
            return value
        case .integer:
            if let reason = IntegerValue.violation(in: value) { throw MatchingError(rule: rule, reason: reason) }
            return IntegerValue.orderPreservingEncoding(value[...])
        case .boolean:
            if let reason = SyntaxCheck.boolean.violation(in: value) {
                throw MatchingError(rule: rule, reason: reason)
            }
            return value
        case .generalizedTime:
            let time: GeneralizedTime
            do {
                time = try GeneralizedTime(value)
            } catch {
                throw MatchingError(rule: rule, reason: error.reason)
            }
            guard let canonical = time.canonicalUTC else {
                throw MatchingError(rule: rule, reason: "the time in UTC falls outside the years 0000–9999")
            }
            return canonical
        case .objectIdentifier:
            return try Self.normalizeOID(value[...], rule: rule)
        case .uuid:
            if let reason = UUIDSyntax.violation(in: value) { throw MatchingError(rule: rule, reason: reason) }
            return value.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") ? $0 | 0x20 : $0 }
        case .bitString:
            if let reason = SyntaxCheck.bitStringViolation(value[...]) {
                throw MatchingError(rule: rule, reason: reason)
            }
            return value
        case .distinguishedName(let normalizer):
            return try normalizer.normalizedBytes(value, rule: rule)
        case .nameAndOptionalUID(let normalizer):
            let (dn, uid) = NameAndOptionalUID.split(value)
            var output = try normalizer.normalizedBytes(Array(dn), rule: rule)
            if let uid {
                if let reason = SyntaxCheck.bitStringViolation(uid) { throw MatchingError(rule: rule, reason: reason) }
                output.append(UInt8(ascii: "#"))
                output.append(contentsOf: uid)
            }
            return output
        case .caseIgnoreList:
            let lines: [[UInt8]]
            switch PostalAddressSyntax.lines(of: value) {
            case .success(let found): lines = found
            case .failure(let failure): throw MatchingError(rule: rule, reason: failure.reason)
            }
            var output: [UInt8] = []
            for (index, line) in lines.enumerated() {
                if index > 0 { output.append(0) }
                do {
                    output.append(contentsOf: try StringPreparation.prepare(line, case: .fold, insignificant: .spaces))
                } catch {
                    throw MatchingError(rule: rule, reason: "line \(index + 1): \(error.description)")
                }
            }
            return output
        case .firstComponent(let inner):
            guard !assertion else { return try inner.normalize(value, assertion: true, rule: rule) }
            return try inner.normalize(Self.firstComponent(of: value, rule: rule), assertion: true, rule: rule)
        }
    }

    func normalizeSubstring(_ piece: [UInt8], position: SubstringPosition, rule: String) throws(MatchingError)
        -> [UInt8]
    {
        let caseHandling: StringPreparation.CaseHandling
        let insignificant: StringPreparation.InsignificantCharacters
        switch self {
        case .prepared(let preparedCase, let preparedInsignificant, let repertoire):
            try Self.check(piece, repertoire, rule: rule, isSubstring: true)
            caseHandling = preparedCase
            insignificant = preparedInsignificant
        case .caseIgnoreList:
            caseHandling = .fold
            insignificant = .spaces
        default:
            throw MatchingError(rule: rule, reason: "the rule has no substring matching")
        }
        do {
            return try StringPreparation.prepareSubstring(
                piece, position: position, case: caseHandling, insignificant: insignificant)
        } catch {
            throw MatchingError(rule: rule, reason: error.description)
        }
    }

    private static func check(_ value: [UInt8], _ repertoire: Repertoire, rule: String, isSubstring: Bool = false)
        throws(MatchingError)
    {
        let reason: String?
        switch repertoire {
        case .unicode: reason = nil
        case .ia5: reason = SyntaxCheck.ia5String.violation(in: value)
        case .numeric: reason = SyntaxCheck.numericString.violation(in: value)
        case .printable: reason = SyntaxCheck.printableString.violation(in: value)
        }
        if let reason { throw MatchingError(rule: rule, reason: reason) }
    }

    /// A numeric OID as written; a descriptor lower-cased (resolving descriptors to OIDs needs
    /// the schema and is left to the caller).
    static func normalizeOID(_ value: ArraySlice<UInt8>, rule: String) throws(MatchingError) -> [UInt8] {
        if let reason = ObjectIdentifierSyntax.violation(in: value) { throw MatchingError(rule: rule, reason: reason) }
        return value.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
    }

    /// The first component of `( component … )`: what follows `(` up to the next space.
    static func firstComponent(of value: [UInt8], rule: String) throws(MatchingError) -> [UInt8] {
        var index = 0
        while index < value.count && value[index] == 0x20 { index += 1 }
        guard index < value.count, value[index] == UInt8(ascii: "(") else {
            throw MatchingError(rule: rule, reason: "expected '(' before the first component")
        }
        index += 1
        while index < value.count && value[index] == 0x20 { index += 1 }
        let start = index
        while index < value.count && value[index] != 0x20 && value[index] != UInt8(ascii: ")") { index += 1 }
        guard index > start else { throw MatchingError(rule: rule, reason: "empty first component") }
        return Array(value[start..<index])
    }
}

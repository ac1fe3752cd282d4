/// The `objectidentifier NAME OID` macros seen so far (OpenLDAP's `.schema` extension), shared by the files
/// of one load in order: a macro is usable from its definition on, in later files too.
struct ObjectIdentifierMacros: Sendable {
    private var table: [String: (oid: String, location: SchemaSourceLocation)] = [:]

    /// Defines `name` as `value` (itself numeric, a macro, or `macro:suffix`).
    mutating func define(_ name: String, as value: String, at location: SchemaSourceLocation) throws(SchemaError) {
        guard OIDText.isDescriptor(name) else {
            throw SchemaError(.invalidDescriptor(name), at: location)
        }
        let oid = try expand(value, allowingBareMacro: true, at: location)
        guard OIDText.isNumericOID(oid) else {
            throw SchemaError(.invalidNumericOID(value), at: location)
        }
        if let previous = table[name.lowercased()], previous.oid != oid {
            throw SchemaError(.duplicateMacro(name, previous: previous.location), at: location)
        }
        table[name.lowercased()] = (oid, location)
    }

    /// Expands `macro:suffix` (always) and a bare `macro` (when `allowingBareMacro`, for positions that must be
    /// numeric OIDs anyway); returns other text unchanged.
    func expand(_ text: String, allowingBareMacro: Bool, at location: SchemaSourceLocation) throws(SchemaError)
        -> String
    {
        if let colon = text.firstIndex(of: ":") {
            let name = String(text[..<colon])
            let suffix = String(text[text.index(after: colon)...])
            guard let base = table[name.lowercased()] else {
                throw SchemaError(.undefinedMacro(name), at: location)
            }
            guard OIDText.isNumericOID("1." + suffix) else {
                throw SchemaError(.invalidNumericOID(text), at: location)
            }
            return base.oid + "." + suffix
        }
        if allowingBareMacro, !OIDText.isNumericOID(text) {
            if let base = table[text.lowercased()] {
                return base.oid
            }
            if OIDText.isDescriptor(text) {
                throw SchemaError(.undefinedMacro(text), at: location)
            }
        }
        return text
    }
}

/// The lexical forms of RFC 4512 §1.4.
enum OIDText {
    /// `numericoid = number 1*( DOT number )`, `number = DIGIT / ( LDIGIT 1*DIGIT )`.
    static func isNumericOID(_ text: String) -> Bool {
        let arcs = text.split(separator: ".", omittingEmptySubsequences: false)
        guard arcs.count >= 2 else { return false }
        return arcs.allSatisfy { arc in
            guard let first = arc.first, arc.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            return first != "0" || arc.count == 1
        }
    }

    /// `descr = keystring`, `keystring = leadkeychar *keychar`: an ASCII letter, then letters, digits, hyphens.
    static func isDescriptor(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else {
            return false
        }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-")
        }
    }

    /// `oid = descr / numericoid`.
    static func isOID(_ text: String) -> Bool {
        isNumericOID(text) || isDescriptor(text)
    }
}

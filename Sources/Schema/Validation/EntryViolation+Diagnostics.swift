import LDAPProtocol

/// The violations validation reports, with their messages in one place.
extension EntryViolation {
    static func undefinedType(_ attribute: String) -> EntryViolation {
        EntryViolation(
            .undefinedAttributeType, "attribute type '\(attribute)' is not defined in the schema", attribute: attribute)
    }

    static func invalidOption(_ attribute: String) -> EntryViolation {
        EntryViolation(
            .undefinedAttributeType, "attribute description '\(attribute)' has an empty or invalid option",
            attribute: attribute)
    }

    static func noValues(_ attribute: String) -> EntryViolation {
        EntryViolation(.constraintViolation, "attribute '\(attribute)' has no values", attribute: attribute)
    }

    static func noUserModification(_ attribute: String) -> EntryViolation {
        EntryViolation(
            .constraintViolation, "attribute '\(attribute)' is NO-USER-MODIFICATION and cannot be supplied by a client",
            attribute: attribute)
    }

    static func invalidSyntax(attribute: String, index: Int, value: [UInt8], violation: SyntaxViolation)
        -> EntryViolation
    {
        EntryViolation(
            .invalidAttributeSyntax,
            "attribute '\(attribute)' value #\(index) \(quote(value)) is \(violation.description)",
            attribute: attribute, valueIndex: index)
    }

    static func invalidForRule(attribute: String, index: Int, value: [UInt8], error: MatchingError) -> EntryViolation {
        EntryViolation(
            .invalidAttributeSyntax,
            "attribute '\(attribute)' value #\(index) \(quote(value)) is \(error.description)",
            attribute: attribute, valueIndex: index)
    }

    static func tooLong(attribute: String, index: Int, length: Int, unit: String, bound: Int) -> EntryViolation {
        EntryViolation(
            .constraintViolation,
            "attribute '\(attribute)' value #\(index) is \(length) \(unit) long, "
                + "more than the \(bound) its syntax allows",
            attribute: attribute, valueIndex: index)
    }

    static func duplicate(attribute: String, index: Int, value: [UInt8], earlier: Int, rule: String)
        -> EntryViolation
    {
        EntryViolation(
            .attributeOrValueExists,
            "attribute '\(attribute)' value #\(index) \(quote(value)) duplicates value #\(earlier) under \(rule)",
            attribute: attribute, valueIndex: index)
    }

    static func singleValued(_ attribute: String, count: Int) -> EntryViolation {
        EntryViolation(
            .constraintViolation, "attribute '\(attribute)' is single-valued but has \(count) values",
            attribute: attribute)
    }

    static let noObjectClass = EntryViolation(
        .objectClassViolation, "the entry has no objectClass attribute", attribute: "objectClass")

    static func unknownClass(_ name: String, index: Int) -> EntryViolation {
        // invalidAttributeSyntax, as slapd answers: the value is not the OID or name of a known class.
        EntryViolation(
            .invalidAttributeSyntax, "object class '\(name)' is not defined in the schema", attribute: "objectClass",
            valueIndex: index)
    }

    static func noStructuralClass(_ classes: [String]) -> EntryViolation {
        EntryViolation(
            .objectClassViolation,
            "no structural object class among \(classes.map { "'\($0)'" }.joined(separator: ", "))",
            attribute: "objectClass")
    }

    static func twoStructuralChains(_ first: String, _ second: String) -> EntryViolation {
        EntryViolation(
            .objectClassViolation,
            "structural object classes '\(first)' and '\(second)' do not belong to one superclass chain",
            attribute: "objectClass")
    }

    static func missingRequired(objectClass: String, attribute: String) -> EntryViolation {
        EntryViolation(
            .objectClassViolation, "object class '\(objectClass)' requires attribute '\(attribute)'",
            attribute: attribute)
    }

    static func notAllowed(_ attribute: String) -> EntryViolation {
        EntryViolation(
            .objectClassViolation, "attribute '\(attribute)' is not allowed by the entry's object classes",
            attribute: attribute)
    }

    static func rdnUndefinedType(_ type: String) -> EntryViolation {
        EntryViolation(.namingViolation, "RDN attribute type '\(type)' is not defined in the schema", attribute: type)
    }

    static func rdnWithoutEquality(_ type: String) -> EntryViolation {
        EntryViolation(
            .namingViolation, "RDN attribute type '\(type)' has no equality matching rule", attribute: type)
    }

    static func rdnInvalidValue(_ type: String, value: [UInt8], error: MatchingError) -> EntryViolation {
        EntryViolation(
            .namingViolation, "RDN value \(quote(value)) of '\(type)' is \(error.description)", attribute: type)
    }

    static func rdnValueMissing(_ type: String, value: [UInt8]) -> EntryViolation {
        EntryViolation(
            .namingViolation, "RDN value \(quote(value)) of '\(type)' is not among the entry's values of '\(type)'",
            attribute: type)
    }

    /// `'text'` for a short printable UTF-8 value, shortened with `…` past 64 characters, `#hex` otherwise.
    static func quote(_ value: [UInt8]) -> String {
        if let text = String(validating: value, as: UTF8.self),
            !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            let shown = text.count > 64 ? text.prefix(64) + "…" : Substring(text)
            return "'\(shown)'"
        }
        let hexDigits = Array("0123456789abcdef")
        var hex = "#"
        for byte in value.prefix(32) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return value.count > 32 ? hex + "…" : hex
    }
}

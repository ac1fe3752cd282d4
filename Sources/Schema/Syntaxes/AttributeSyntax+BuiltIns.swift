extension AttributeSyntax {
    /// The prefix of the syntax OIDs of RFC 4517.
    static let ldapSyntaxPrefix = "1.3.6.1.4.1.1466.115.121.1."

    private static func rfc4517(
        _ number: Int,
        _ description: String,
        humanReadable: Bool = true,
        _ check: SyntaxCheck
    ) -> AttributeSyntax {
        AttributeSyntax(
            oid: ldapSyntaxPrefix + String(number),
            description: description,
            isHumanReadable: humanReadable,
            check: check)
    }

    /// Attribute Type Description (RFC 4517 §3.3.1).
    public static let attributeTypeDescription = rfc4517(3, "Attribute Type Description", .schemaDescription)
    /// Binary (RFC 2252, obsolete): any octets.
    public static let binary = rfc4517(5, "Binary", humanReadable: false, .anyOctets)
    /// Bit String (§3.3.2): `'0101'B`.
    public static let bitString = rfc4517(6, "Bit String", .bitString)
    /// Boolean (§3.3.3): `TRUE` or `FALSE`.
    public static let boolean = rfc4517(7, "Boolean", .boolean)
    /// Certificate (RFC 4523): DER, any octets.
    public static let certificate = rfc4517(8, "Certificate", humanReadable: false, .anyOctets)
    /// Certificate List (RFC 4523): DER, any octets.
    public static let certificateList = rfc4517(9, "Certificate List", humanReadable: false, .anyOctets)
    /// Certificate Pair (RFC 4523): DER, any octets.
    public static let certificatePair = rfc4517(10, "Certificate Pair", humanReadable: false, .anyOctets)
    /// Country String (§3.3.4): two printable characters.
    public static let countryString = rfc4517(11, "Country String", .countryString)
    /// DN (§3.3.9): an RFC 4514 distinguished name.
    public static let distinguishedName = rfc4517(12, "DN", .distinguishedName)
    /// Delivery Method (§3.3.5): checked as non-empty UTF-8 only.
    public static let deliveryMethod = rfc4517(14, "Delivery Method", .directoryString)
    /// Directory String (§3.3.6): one or more UTF-8 characters.
    public static let directoryString = rfc4517(15, "Directory String", .directoryString)
    /// DIT Content Rule Description (§3.3.7).
    public static let ditContentRuleDescription = rfc4517(16, "DIT Content Rule Description", .schemaDescription)
    /// DIT Structure Rule Description (§3.3.8).
    public static let ditStructureRuleDescription = rfc4517(
        17, "DIT Structure Rule Description", .schemaDescription)
    /// Enhanced Guide (§3.3.10): checked as non-empty UTF-8 only.
    public static let enhancedGuide = rfc4517(21, "Enhanced Guide", .directoryString)
    /// Facsimile Telephone Number (§3.3.11): checked as non-empty UTF-8 only.
    public static let facsimileTelephoneNumber = rfc4517(22, "Facsimile Telephone Number", .directoryString)
    /// Fax (§3.3.12): any octets.
    /// Audio (RFC 2252 §6.3, kept by RFC 4524's `audio` attribute): any octets.
    public static let audio = rfc4517(4, "Audio", humanReadable: false, .anyOctets)
    public static let fax = rfc4517(23, "Fax", humanReadable: false, .anyOctets)
    /// Generalized Time (§3.3.13).
    public static let generalizedTime = rfc4517(24, "Generalized Time", .generalizedTime)
    /// Guide (§3.3.14, obsolete): checked as non-empty UTF-8 only.
    public static let guide = rfc4517(25, "Guide", .directoryString)
    /// IA5 String (§3.3.15): ASCII characters, possibly none.
    public static let ia5String = rfc4517(26, "IA5 String", .ia5String)
    /// INTEGER (§3.3.16): decimal, any size.
    public static let integer = rfc4517(27, "INTEGER", .integer)
    /// JPEG (§3.3.17): any octets.
    public static let jpeg = rfc4517(28, "JPEG", humanReadable: false, .anyOctets)
    /// Matching Rule Description (§3.3.19).
    public static let matchingRuleDescription = rfc4517(30, "Matching Rule Description", .schemaDescription)
    /// Matching Rule Use Description (§3.3.20).
    public static let matchingRuleUseDescription = rfc4517(31, "Matching Rule Use Description", .schemaDescription)
    /// Name And Optional UID (§3.3.21): a DN, optionally `#` and a bit string.
    public static let nameAndOptionalUID = rfc4517(34, "Name And Optional UID", .nameAndOptionalUID)
    /// Name Form Description (§3.3.22).
    public static let nameFormDescription = rfc4517(35, "Name Form Description", .schemaDescription)
    /// Numeric String (§3.3.23): digits and spaces.
    public static let numericString = rfc4517(36, "Numeric String", .numericString)
    /// Object Class Description (§3.3.24).
    public static let objectClassDescription = rfc4517(37, "Object Class Description", .schemaDescription)
    /// OID (§3.3.26): a descriptor or a numeric OID.
    public static let objectIdentifier = rfc4517(38, "OID", .objectIdentifier)
    /// Other Mailbox (§3.3.27): checked as non-empty UTF-8 only.
    public static let otherMailbox = rfc4517(39, "Other Mailbox", .directoryString)
    /// Octet String (§3.3.25): any octets.
    public static let octetString = rfc4517(40, "Octet String", .anyOctets)
    /// Postal Address (§3.3.28): `$`-separated lines with `\24` and `\5C` escapes.
    public static let postalAddress = rfc4517(41, "Postal Address", .postalAddress)
    /// Printable String (§3.3.29).
    public static let printableString = rfc4517(44, "Printable String", .printableString)
    /// Supported Algorithm (RFC 4523): any octets.
    public static let supportedAlgorithm = rfc4517(49, "Supported Algorithm", humanReadable: false, .anyOctets)
    /// Telephone Number (§3.3.31): a printable string.
    public static let telephoneNumber = rfc4517(50, "Telephone Number", .telephoneNumber)
    /// Teletex Terminal Identifier (§3.3.32): checked as non-empty UTF-8 only.
    public static let teletexTerminalIdentifier = rfc4517(51, "Teletex Terminal Identifier", .directoryString)
    /// Telex Number (§3.3.33): checked as non-empty UTF-8 only.
    public static let telexNumber = rfc4517(52, "Telex Number", .directoryString)
    /// LDAP Syntax Description (§3.3.18).
    public static let ldapSyntaxDescription = rfc4517(54, "LDAP Syntax Description", .schemaDescription)
    /// Substring Assertion (§3.3.30): `initial*any*final` with `\2A` and `\5C` escapes.
    public static let substringAssertion = rfc4517(58, "Substring Assertion", .substringAssertion)
    /// UUID (RFC 4530 §2.1): `f81d4fae-7dec-11d0-a765-00a0c91e6bf6`.
    public static let uuid = AttributeSyntax(oid: "1.3.6.1.1.16.1", description: "UUID", check: .uuid)

    /// Every built-in syntax.
    public static let builtIns: [AttributeSyntax] = [
        .attributeTypeDescription, .audio, .binary, .bitString, .boolean, .certificate, .certificateList,
        .certificatePair, .countryString, .distinguishedName, .deliveryMethod, .directoryString,
        .ditContentRuleDescription, .ditStructureRuleDescription, .enhancedGuide, .facsimileTelephoneNumber,
        .fax, .generalizedTime, .guide, .ia5String, .integer, .jpeg, .matchingRuleDescription,
        .matchingRuleUseDescription, .nameAndOptionalUID, .nameFormDescription, .numericString,
        .objectClassDescription, .objectIdentifier, .otherMailbox, .octetString, .postalAddress,
        .printableString, .supportedAlgorithm, .telephoneNumber, .teletexTerminalIdentifier, .telexNumber,
        .ldapSyntaxDescription, .substringAssertion, .uuid,
    ]
}

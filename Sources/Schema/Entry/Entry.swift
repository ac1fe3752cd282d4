import LDAPProtocol

/// A directory entry as the server holds it: its name and its attributes, values as raw bytes in the
/// order they were given. Schema-aware questions (is this attribute `cn` under another name? which values
/// are equal under the equality rule?) are answered by the `Schema`, not by this value.
public struct Entry: Hashable, Sendable {
    public var dn: DistinguishedName
    public var attributes: [EntryAttribute]

    public init(dn: DistinguishedName, attributes: [EntryAttribute] = []) {
        self.dn = dn
        self.attributes = attributes
    }

    /// The attribute whose description (type and options) is `description`, compared without regard to case.
    public subscript(description: String) -> EntryAttribute? {
        let key = AttributeDescription(description)
        return attributes.first { $0.description == key }
    }

    /// Values of the attribute with this exact description, or an empty list.
    public func values(of description: String) -> [[UInt8]] {
        self[description]?.values ?? []
    }

    /// Values of the attribute as UTF-8 strings (values that are not UTF-8 are skipped).
    public func stringValues(of description: String) -> [String] {
        values(of: description).compactMap { String(validating: $0, as: UTF8.self) }
    }

    /// The object class names as given (not normalised).
    public var objectClasses: [String] { stringValues(of: "objectClass") }
}

/// One attribute of an entry: a description and its values.
public struct EntryAttribute: Hashable, Sendable {
    public var description: AttributeDescription
    public var values: [[UInt8]]

    public init(description: AttributeDescription, values: [[UInt8]]) {
        self.description = description
        self.values = values
    }

    public init(_ description: String, _ values: [String]) {
        self.init(description: AttributeDescription(description), values: values.map { Array($0.utf8) })
    }
}

/// `AttributeDescription = attributedescription = attributetype options` (RFC 4512 §2.5): a type (a name or
/// an OID) and options such as `lang-fr` or `binary`. Equality ignores case and the order of options.
public struct AttributeDescription: Hashable, Sendable, CustomStringConvertible {
    /// The type as written (`cn`, `2.5.4.3`); resolve through the schema to compare names with OIDs.
    public var type: String
    public var options: [String]

    public init(type: String, options: [String] = []) {
        self.type = type
        self.options = options
    }

    /// Splits `cn;lang-fr` into type and options; no validation (the schema and the parsers do it).
    public init(_ text: String) {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        self.type = parts.first ?? ""
        self.options = Array(parts.dropFirst())
    }

    public var description: String { ([type] + options).joined(separator: ";") }

    public static func == (lhs: AttributeDescription, rhs: AttributeDescription) -> Bool {
        lhs.type.lowercased() == rhs.type.lowercased()
            && Set(lhs.options.map { $0.lowercased() }) == Set(rhs.options.map { $0.lowercased() })
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type.lowercased())
        hasher.combine(Set(options.map { $0.lowercased() }))
    }
}

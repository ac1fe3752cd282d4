import NIOCore

/// The Pre-Read and Post-Read controls (RFC 4527).
///
/// The request value is `AttributeSelection ::= SEQUENCE OF LDAPString`; the response value is a
/// whole `SearchResultEntry` with the entry as it was before (pre) or after (post) the update.
public struct ReadEntryControl: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case preRead = "1.3.6.1.1.13.1"
        case postRead = "1.3.6.1.1.13.2"
    }

    public var kind: Kind
    public var attributes: [ByteBuffer]

    public init(kind: Kind, attributes: [ByteBuffer]) {
        self.kind = kind
        self.attributes = attributes
    }

    /// Decodes a request control; nil when the OID is neither pre- nor post-read.
    public init?(request control: LDAPControl) throws(LDAPDecodingError) {
        guard let kind = Kind(rawValue: control.oid) else { return nil }
        guard var value = control.value else {
            throw LDAPDecodingError(.invalidValue("the read entry control needs a value"), context: "ReadEntryControl")
        }
        var list = try value.readBERElement(expecting: .sequence, context: "ReadEntryControl")
        try value.requireBERFullyConsumed(context: "ReadEntryControl")
        var attributes: [ByteBuffer] = []
        while list.readableBytes > 0 {
            attributes.append(try list.readBEROctetString(context: "ReadEntryControl.attribute"))
        }
        self.kind = kind
        self.attributes = attributes
    }

    public func requestControl(criticality: Bool = false) -> LDAPControl {
        var value = ByteBuffer()
        value.writeBERElement(.sequence) { buffer in
            for attribute in attributes { buffer.writeBEROctetString(attribute) }
        }
        return LDAPControl(kind.rawValue, criticality: criticality, value: value)
    }

    /// The response control carrying `entry`.
    public static func responseControl(kind: Kind, entry: SearchResultEntry) -> LDAPControl {
        var value = ByteBuffer()
        entry.write(into: &value)
        return LDAPControl(kind.rawValue, value: value)
    }

    /// Decodes the entry of a response control.
    public static func entry(fromResponse control: LDAPControl) throws(LDAPDecodingError) -> SearchResultEntry {
        guard var value = control.value else {
            throw LDAPDecodingError(.invalidValue("the read entry response needs a value"), context: "ReadEntryControl")
        }
        let entry = try SearchResultEntry(from: &value)
        try value.requireBERFullyConsumed(context: "ReadEntryControl")
        return entry
    }
}

/// Why a sequence of bytes is not a valid LDAP PDU.
///
/// Every case names the offending construct so a server can answer with a diagnostic message
/// (protocolError) and a developer can find the faulty byte.
public struct LDAPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Fewer bytes than an element's header or declared length requires.
        case truncated
        /// The indefinite length form (0x80), which RFC 4511 §5.1 forbids.
        case indefiniteLength
        /// A length or tag number that does not fit the implementation's limits.
        case lengthTooLarge
        /// An element with a different tag than the grammar requires at this place.
        case unexpectedTag(expected: BERTag, found: BERTag)
        /// A tag that is not one of the alternatives of a CHOICE.
        case unknownChoice(BERTag)
        /// An INTEGER or ENUMERATED with no content octets or redundant leading octets.
        case malformedInteger
        /// An INTEGER or ENUMERATED outside the range the field allows.
        case integerOutOfRange
        /// A BOOLEAN whose content is not exactly one octet.
        case malformedBoolean
        /// A NULL with content octets.
        case malformedNull
        /// Bytes left over inside a constructed element after its last field.
        case trailingBytes
        /// Nesting (filters, mostly) deeper than the configured maximum.
        case nestingTooDeep
        /// A PDU whose declared size exceeds the receiver's limit; refused before it is buffered.
        case messageTooLarge(size: Int, limit: Int)
        /// A value that is syntactically BER but violates LDAP's grammar (e.g. an empty substring filter).
        case invalidValue(String)
    }

    public var kind: Kind
    /// What was being decoded, e.g. "SearchRequest.filter".
    public var context: String
    /// The messageID of the enclosing LDAPMessage, when it was read before the error.
    public var messageID: Int32?

    public init(_ kind: Kind, context: String, messageID: Int32? = nil) {
        self.kind = kind
        self.context = context
        self.messageID = messageID
    }

    public var description: String {
        let what: String
        switch kind {
        case .truncated: what = "truncated element"
        case .indefiniteLength: what = "indefinite length is not allowed in LDAP"
        case .lengthTooLarge: what = "length too large"
        case .unexpectedTag(let expected, let found): what = "expected tag \(expected), found \(found)"
        case .unknownChoice(let tag): what = "unknown choice \(tag)"
        case .malformedInteger: what = "malformed INTEGER"
        case .integerOutOfRange: what = "INTEGER out of range"
        case .malformedBoolean: what = "malformed BOOLEAN"
        case .malformedNull: what = "malformed NULL"
        case .trailingBytes: what = "unexpected bytes after the last field"
        case .nestingTooDeep: what = "nesting too deep"
        case .messageTooLarge(let size, let limit): what = "PDU of \(size) bytes exceeds the limit of \(limit) bytes"
        case .invalidValue(let text): what = text
        }
        return context.isEmpty ? what : "\(context): \(what)"
    }
}

import NIOCore

/// `SearchRequest ::= [APPLICATION 3] SEQUENCE { ... }` (RFC 4511 §4.5.1).
public struct SearchRequest: Hashable, Sendable {
    public enum Scope: Int, Hashable, Sendable {
        case baseObject = 0
        case singleLevel = 1
        case wholeSubtree = 2
        /// RFC 4511's extensible scope list; draft-sermersheim-ldap-subordinate-scope, used by OpenLDAP.
        case subordinateSubtree = 3
    }

    public enum DerefAliases: Int, Hashable, Sendable {
        case neverDerefAliases = 0
        case derefInSearching = 1
        case derefFindingBaseObj = 2
        case derefAlways = 3
    }

    public static let tag = BERTag.application(3, constructed: true)

    public var baseObject: ByteBuffer
    public var scope: Scope
    public var derefAliases: DerefAliases
    /// 0 means no client-requested limit.
    public var sizeLimit: Int32
    /// Seconds; 0 means no client-requested limit.
    public var timeLimit: Int32
    public var typesOnly: Bool
    public var filter: Filter
    /// Attribute descriptions, `*`, `+`, `1.1` or OIDs, as sent.
    public var attributes: [ByteBuffer]

    public init(
        baseObject: ByteBuffer,
        scope: Scope,
        derefAliases: DerefAliases = .neverDerefAliases,
        sizeLimit: Int32 = 0,
        timeLimit: Int32 = 0,
        typesOnly: Bool = false,
        filter: Filter,
        attributes: [ByteBuffer] = []
    ) {
        self.baseObject = baseObject
        self.scope = scope
        self.derefAliases = derefAliases
        self.sizeLimit = sizeLimit
        self.timeLimit = timeLimit
        self.typesOnly = typesOnly
        self.filter = filter
        self.attributes = attributes
    }

    public init(from buffer: inout ByteBuffer, options: LDAPDecodingOptions = .init()) throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: Self.tag, context: "SearchRequest")
        self.baseObject = try content.readBEROctetString(context: "SearchRequest.baseObject")
        let scope = try content.readBERInteger(as: Int.self, tag: .enumerated, context: "SearchRequest.scope")
        guard let parsedScope = Scope(rawValue: scope) else {
            throw LDAPDecodingError(.integerOutOfRange, context: "SearchRequest.scope")
        }
        self.scope = parsedScope
        let deref = try content.readBERInteger(as: Int.self, tag: .enumerated, context: "SearchRequest.derefAliases")
        guard let parsedDeref = DerefAliases(rawValue: deref) else {
            throw LDAPDecodingError(.integerOutOfRange, context: "SearchRequest.derefAliases")
        }
        self.derefAliases = parsedDeref
        self.sizeLimit = try content.readBERInteger(as: Int32.self, context: "SearchRequest.sizeLimit")
        self.timeLimit = try content.readBERInteger(as: Int32.self, context: "SearchRequest.timeLimit")
        guard sizeLimit >= 0, timeLimit >= 0 else {
            throw LDAPDecodingError(.integerOutOfRange, context: "SearchRequest.sizeLimit/timeLimit")
        }
        self.typesOnly = try content.readBERBoolean(context: "SearchRequest.typesOnly")
        self.filter = try Filter(from: &content, depth: 0, maximumDepth: options.maximumFilterDepth)
        var selection = try content.readBERElement(expecting: .sequence, context: "SearchRequest.attributes")
        var attributes: [ByteBuffer] = []
        attributes.reserveCapacity(selection.berElementCount())
        while selection.readableBytes > 0 {
            attributes.append(try selection.readBEROctetString(context: "SearchRequest.attributes"))
        }
        self.attributes = attributes
        try content.requireBERFullyConsumed(context: "SearchRequest")
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Self.tag, lengthHint: 2) { buffer in
            buffer.writeBEROctetString(baseObject)
            buffer.writeBERInteger(scope.rawValue, tag: .enumerated)
            buffer.writeBERInteger(derefAliases.rawValue, tag: .enumerated)
            buffer.writeBERInteger(sizeLimit)
            buffer.writeBERInteger(timeLimit)
            buffer.writeBERBoolean(typesOnly)
            filter.write(into: &buffer)
            buffer.writeBERElement(.sequence) { buffer in
                for attribute in attributes { buffer.writeBEROctetString(attribute) }
            }
        }
    }
}

import SwiftASN1

/// The same two LDAP messages written with apple/swift-asn1, the way a user of that library would:
/// `BER.parse` into an `ASN1Node` tree, typed helpers (`BER.sequence`, `ASN1OctetString`, integers,
/// `Bool`) to walk it, and `DER.Serializer` to encode. Values stay `ArraySlice<UInt8>` of the input array.
enum ASN1LDAP {
    static let searchRequestTag = ASN1Identifier(tagWithNumber: 3, tagClass: .application)
    static let searchResultEntryTag = ASN1Identifier(tagWithNumber: 4, tagClass: .application)
    static let andTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
    static let orTag = ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)
    static let notTag = ASN1Identifier(tagWithNumber: 2, tagClass: .contextSpecific)
    static let equalityTag = ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific)
    static let presentTag = ASN1Identifier(tagWithNumber: 7, tagClass: .contextSpecific)

    static func error(_ reason: String) -> ASN1Error {
        ASN1Error.invalidASN1Object(reason: reason)
    }
}

/// The filter subset the workload uses; other choices are kept as their node.
enum ASN1Filter: Hashable {
    case and([ASN1Filter])
    case or([ASN1Filter])
    indirect case not(ASN1Filter)
    case equalityMatch(attribute: ASN1OctetString, value: ASN1OctetString)
    case present(ASN1OctetString)
    case other(ASN1Node)

    init(node: ASN1Node) throws {
        switch node.identifier {
        case ASN1LDAP.andTag, ASN1LDAP.orTag:
            guard case .constructed(let children) = node.content else { throw ASN1LDAP.error("primitive and/or") }
            var filters: [ASN1Filter] = []
            for child in children { filters.append(try ASN1Filter(node: child)) }
            self = node.identifier == ASN1LDAP.andTag ? .and(filters) : .or(filters)
        case ASN1LDAP.notTag:
            self = try BER.sequence(node, identifier: ASN1LDAP.notTag) { nodes in
                guard let inner = nodes.next() else { throw ASN1LDAP.error("empty not") }
                return .not(try ASN1Filter(node: inner))
            }
        case ASN1LDAP.equalityTag:
            self = try BER.sequence(node, identifier: ASN1LDAP.equalityTag) { nodes in
                .equalityMatch(
                    attribute: try ASN1OctetString(berEncoded: &nodes),
                    value: try ASN1OctetString(berEncoded: &nodes)
                )
            }
        case ASN1LDAP.presentTag:
            self = .present(try ASN1OctetString(berEncoded: node, withIdentifier: ASN1LDAP.presentTag))
        default:
            self = .other(node)
        }
    }
}

/// LDAPMessage { messageID, SearchRequest } decoded with swift-asn1.
struct ASN1SearchRequestMessage {
    var messageID: Int32
    var baseObject: ASN1OctetString
    var scope: Int
    var derefAliases: Int
    var sizeLimit: Int32
    var timeLimit: Int32
    var typesOnly: Bool
    var filter: ASN1Filter
    var attributes: [ASN1OctetString]

    init(berEncoded bytes: ArraySlice<UInt8>) throws {
        let root = try BER.parse(bytes)
        self = try BER.sequence(root, identifier: .sequence) { message in
            let messageID = try Int32(berEncoded: &message)
            guard let operation = message.next() else { throw ASN1LDAP.error("no protocolOp") }
            // (controls [0] would follow; the workload has none.)
            return try BER.sequence(operation, identifier: ASN1LDAP.searchRequestTag) { fields in
                let baseObject = try ASN1OctetString(berEncoded: &fields)
                let scope = try Int(berEncoded: &fields, withIdentifier: .enumerated)
                let derefAliases = try Int(berEncoded: &fields, withIdentifier: .enumerated)
                let sizeLimit = try Int32(berEncoded: &fields)
                let timeLimit = try Int32(berEncoded: &fields)
                let typesOnly = try Bool(berEncoded: &fields)
                guard let filterNode = fields.next() else { throw ASN1LDAP.error("no filter") }
                let filter = try ASN1Filter(node: filterNode)
                let attributes = try BER.sequence(of: ASN1OctetString.self, identifier: .sequence, nodes: &fields)
                return ASN1SearchRequestMessage(
                    messageID: messageID,
                    baseObject: baseObject,
                    scope: scope,
                    derefAliases: derefAliases,
                    sizeLimit: sizeLimit,
                    timeLimit: timeLimit,
                    typesOnly: typesOnly,
                    filter: filter,
                    attributes: attributes
                )
            }
        }
    }

    init(
        messageID: Int32,
        baseObject: ASN1OctetString,
        scope: Int,
        derefAliases: Int,
        sizeLimit: Int32,
        timeLimit: Int32,
        typesOnly: Bool,
        filter: ASN1Filter,
        attributes: [ASN1OctetString]
    ) {
        self.messageID = messageID
        self.baseObject = baseObject
        self.scope = scope
        self.derefAliases = derefAliases
        self.sizeLimit = sizeLimit
        self.timeLimit = timeLimit
        self.typesOnly = typesOnly
        self.filter = filter
        self.attributes = attributes
    }
}

/// PartialAttribute { type, vals SET OF value } for swift-asn1.
struct ASN1PartialAttribute {
    var type: ASN1OctetString
    var values: [ASN1OctetString]
}

/// LDAPMessage { messageID, SearchResultEntry } for swift-asn1: decoded from, and encoded to, DER.
struct ASN1SearchResultEntryMessage {
    var messageID: Int32
    var objectName: ASN1OctetString
    var attributes: [ASN1PartialAttribute]

    init(messageID: Int32, objectName: [UInt8], attributes: [(type: [UInt8], values: [[UInt8]])]) {
        self.messageID = messageID
        self.objectName = ASN1OctetString(contentBytes: objectName[...])
        self.attributes = attributes.map { attribute in
            ASN1PartialAttribute(
                type: ASN1OctetString(contentBytes: attribute.type[...]),
                values: attribute.values.map { ASN1OctetString(contentBytes: $0[...]) }
            )
        }
    }

    init(berEncoded bytes: ArraySlice<UInt8>) throws {
        let root = try BER.parse(bytes)
        self = try BER.sequence(root, identifier: .sequence) { message in
            let messageID = try Int32(berEncoded: &message)
            guard let operation = message.next() else { throw ASN1LDAP.error("no protocolOp") }
            return try BER.sequence(operation, identifier: ASN1LDAP.searchResultEntryTag) { fields in
                let objectName = try ASN1OctetString(berEncoded: &fields)
                guard let list = fields.next(), list.identifier == .sequence,
                    case .constructed(let items) = list.content
                else { throw ASN1LDAP.error("attributes") }
                var attributes: [ASN1PartialAttribute] = []
                for item in items {
                    attributes.append(
                        try BER.sequence(item, identifier: .sequence) { parts in
                            let type = try ASN1OctetString(berEncoded: &parts)
                            let values = try BER.set(of: ASN1OctetString.self, identifier: .set, nodes: &parts)
                            return ASN1PartialAttribute(type: type, values: values)
                        }
                    )
                }
                return ASN1SearchResultEntryMessage(
                    messageID: messageID, objectName: objectName, attributes: attributes)
            }
        }
    }

    private init(messageID: Int32, objectName: ASN1OctetString, attributes: [ASN1PartialAttribute]) {
        self.messageID = messageID
        self.objectName = objectName
        self.attributes = attributes
    }

    func serialize(into serializer: inout DER.Serializer) throws {
        try serializer.appendConstructedNode(identifier: .sequence) { message in
            try message.serialize(messageID)
            try message.appendConstructedNode(identifier: ASN1LDAP.searchResultEntryTag) { entry in
                try entry.serialize(objectName)
                try entry.appendConstructedNode(identifier: .sequence) { list in
                    for attribute in attributes {
                        try list.appendConstructedNode(identifier: .sequence) { partial in
                            try partial.serialize(attribute.type)
                            // appendConstructedNode keeps the stored order (serializeSetOf would sort, as DER
                            // requires; LDAP does not, and our codec keeps the order too).
                            try partial.appendConstructedNode(identifier: .set) { set in
                                for value in attribute.values { try set.serialize(value) }
                            }
                        }
                    }
                }
            }
        }
    }
}

import NIOCore

extension Filter {
    static let andTag = BERTag.context(0, constructed: true)
    static let orTag = BERTag.context(1, constructed: true)
    static let notTag = BERTag.context(2, constructed: true)
    static let equalityTag = BERTag.context(3, constructed: true)
    static let substringsTag = BERTag.context(4, constructed: true)
    static let greaterOrEqualTag = BERTag.context(5, constructed: true)
    static let lessOrEqualTag = BERTag.context(6, constructed: true)
    static let presentTag = BERTag.context(7, constructed: false)
    static let approxTag = BERTag.context(8, constructed: true)
    static let extensibleTag = BERTag.context(9, constructed: true)

    /// Decodes a filter, refusing nesting deeper than `maximumDepth` before recursing further.
    public init(from buffer: inout ByteBuffer, depth: Int = 0, maximumDepth: Int = 64) throws(LDAPDecodingError) {
        guard depth <= maximumDepth else { throw LDAPDecodingError(.nestingTooDeep, context: "Filter") }
        let element = try buffer.readBERElement()
        var content = element.content
        switch element.tag {
        case Self.andTag, Self.orTag:
            // RFC 4526 absolute true/false filters are empty sets, so an empty set is accepted.
            var filters: [Filter] = []
            filters.reserveCapacity(content.berElementCount())
            while content.readableBytes > 0 {
                filters.append(try Filter(from: &content, depth: depth + 1, maximumDepth: maximumDepth))
            }
            self = element.tag == Self.andTag ? .and(filters) : .or(filters)
        case Self.notTag:
            let inner = try Filter(from: &content, depth: depth + 1, maximumDepth: maximumDepth)
            try content.requireBERFullyConsumed(context: "Filter.not")
            self = .not(inner)
        case Self.equalityTag:
            self = .equalityMatch(try AttributeValueAssertion(components: &content, context: "Filter.equalityMatch"))
        case Self.greaterOrEqualTag:
            self = .greaterOrEqual(try AttributeValueAssertion(components: &content, context: "Filter.greaterOrEqual"))
        case Self.lessOrEqualTag:
            self = .lessOrEqual(try AttributeValueAssertion(components: &content, context: "Filter.lessOrEqual"))
        case Self.approxTag:
            self = .approxMatch(try AttributeValueAssertion(components: &content, context: "Filter.approxMatch"))
        case Self.presentTag:
            self = .present(content)
        case Self.substringsTag:
            self = .substrings(try SubstringFilter(components: &content))
        case Self.extensibleTag:
            self = .extensibleMatch(try MatchingRuleAssertion(components: &content))
        default:
            throw LDAPDecodingError(.unknownChoice(element.tag), context: "Filter")
        }
    }

    /// Encodes the filter. Recursion depth is that of the value, which decoding and string parsing bound.
    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .and(let filters), .or(let filters):
            let tag = if case .and = self { Self.andTag } else { Self.orTag }
            buffer.writeBERElement(tag) { buffer in
                for filter in filters { filter.write(into: &buffer) }
            }
        case .not(let inner):
            buffer.writeBERElement(Self.notTag) { inner.write(into: &$0) }
        case .equalityMatch(let assertion):
            assertion.write(into: &buffer, tag: Self.equalityTag)
        case .greaterOrEqual(let assertion):
            assertion.write(into: &buffer, tag: Self.greaterOrEqualTag)
        case .lessOrEqual(let assertion):
            assertion.write(into: &buffer, tag: Self.lessOrEqualTag)
        case .approxMatch(let assertion):
            assertion.write(into: &buffer, tag: Self.approxTag)
        case .present(let attribute):
            buffer.writeBEROctetString(attribute, tag: Self.presentTag)
        case .substrings(let substrings):
            substrings.write(into: &buffer)
        case .extensibleMatch(let assertion):
            assertion.write(into: &buffer)
        }
    }
}

extension AttributeValueAssertion {
    /// Reads `attributeDesc` and `assertionValue` from the content of an AVA element, consuming all of it.
    init(components content: inout ByteBuffer, context: String) throws(LDAPDecodingError) {
        self.attributeDescription = try content.readBEROctetString(context: "\(context).attributeDesc")
        self.assertionValue = try content.readBEROctetString(context: "\(context).assertionValue")
        try content.requireBERFullyConsumed(context: context)
    }

    /// Reads a whole `AttributeValueAssertion ::= SEQUENCE` (as in CompareRequest).
    public init(from buffer: inout ByteBuffer, context: String = "AttributeValueAssertion") throws(LDAPDecodingError) {
        var content = try buffer.readBERElement(expecting: .sequence, context: context)
        try self.init(components: &content, context: context)
    }

    func write(into buffer: inout ByteBuffer, tag: BERTag = .sequence) {
        buffer.writeBERElement(tag) { buffer in
            buffer.writeBEROctetString(attributeDescription)
            buffer.writeBEROctetString(assertionValue)
        }
    }
}

extension SubstringFilter {
    static let initialTag = BERTag.context(0, constructed: false)
    static let anyTag = BERTag.context(1, constructed: false)
    static let finalTag = BERTag.context(2, constructed: false)

    init(components content: inout ByteBuffer) throws(LDAPDecodingError) {
        let context = "Filter.substrings"
        self.attributeDescription = try content.readBEROctetString(context: "\(context).type")
        var parts = try content.readBERElement(expecting: .sequence, context: "\(context).substrings")
        try content.requireBERFullyConsumed(context: context)
        self.initial = nil
        self.any = []
        self.final = nil
        var count = 0
        while parts.readableBytes > 0 {
            let part = try parts.readBERElement()
            switch part.tag {
            case Self.initialTag:
                // initial may only come first.
                guard count == 0 else {
                    throw LDAPDecodingError(.invalidValue("initial substring must come first"), context: context)
                }
                self.initial = part.content
            case Self.anyTag:
                guard final == nil else {
                    throw LDAPDecodingError(.invalidValue("any substring after final"), context: context)
                }
                self.any.append(part.content)
            case Self.finalTag:
                guard final == nil else {
                    throw LDAPDecodingError(.invalidValue("more than one final substring"), context: context)
                }
                self.final = part.content
            default:
                throw LDAPDecodingError(.unknownChoice(part.tag), context: context)
            }
            count += 1
        }
        guard count > 0 else {
            throw LDAPDecodingError(.invalidValue("substring filter without substrings"), context: context)
        }
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Filter.substringsTag) { buffer in
            buffer.writeBEROctetString(attributeDescription)
            buffer.writeBERElement(.sequence) { buffer in
                if let initial { buffer.writeBEROctetString(initial, tag: Self.initialTag) }
                for part in any { buffer.writeBEROctetString(part, tag: Self.anyTag) }
                if let final { buffer.writeBEROctetString(final, tag: Self.finalTag) }
            }
        }
    }
}

extension MatchingRuleAssertion {
    static let matchingRuleTag = BERTag.context(1, constructed: false)
    static let typeTag = BERTag.context(2, constructed: false)
    static let matchValueTag = BERTag.context(3, constructed: false)
    static let dnAttributesTag = BERTag.context(4, constructed: false)

    init(components content: inout ByteBuffer) throws(LDAPDecodingError) {
        let context = "Filter.extensibleMatch"
        self.matchingRule = nil
        self.type = nil
        if content.peekBERTag() == Self.matchingRuleTag {
            self.matchingRule = try content.readBEROctetString(tag: Self.matchingRuleTag, context: context)
        }
        if content.peekBERTag() == Self.typeTag {
            self.type = try content.readBEROctetString(tag: Self.typeTag, context: context)
        }
        self.matchValue = try content.readBEROctetString(tag: Self.matchValueTag, context: "\(context).matchValue")
        self.dnAttributes = false
        if content.readableBytes > 0 {
            self.dnAttributes = try content.readBERBoolean(tag: Self.dnAttributesTag, context: "\(context).dnAttributes")
        }
        try content.requireBERFullyConsumed(context: context)
        // RFC 4511 §4.5.1.7.7: without a matching rule, the type is required.
        guard matchingRule != nil || type != nil else {
            throw LDAPDecodingError(.invalidValue("extensible match needs a matching rule or a type"), context: context)
        }
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeBERElement(Filter.extensibleTag) { buffer in
            if let matchingRule { buffer.writeBEROctetString(matchingRule, tag: Self.matchingRuleTag) }
            if let type { buffer.writeBEROctetString(type, tag: Self.typeTag) }
            buffer.writeBEROctetString(matchValue, tag: Self.matchValueTag)
            // DEFAULT FALSE is omitted, as DER and OpenLDAP do.
            if dnAttributes { buffer.writeBERBoolean(true, tag: Self.dnAttributesTag) }
        }
    }
}

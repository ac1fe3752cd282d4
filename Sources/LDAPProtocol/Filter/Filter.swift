import NIOCore

/// A search filter (RFC 4511 §4.5.1.7). Attribute descriptions and values are kept as the bytes
/// received (slices of the PDU when decoded), so decoding copies nothing.
public enum Filter: Hashable, Sendable {
    case and([Filter])
    case or([Filter])
    indirect case not(Filter)
    case equalityMatch(AttributeValueAssertion)
    case substrings(SubstringFilter)
    case greaterOrEqual(AttributeValueAssertion)
    case lessOrEqual(AttributeValueAssertion)
    /// The attribute description whose presence is tested.
    case present(ByteBuffer)
    case approxMatch(AttributeValueAssertion)
    case extensibleMatch(MatchingRuleAssertion)
}

/// `AttributeValueAssertion ::= SEQUENCE { attributeDesc, assertionValue }`.
public struct AttributeValueAssertion: Hashable, Sendable {
    public var attributeDescription: ByteBuffer
    public var assertionValue: ByteBuffer

    public init(attributeDescription: ByteBuffer, assertionValue: ByteBuffer) {
        self.attributeDescription = attributeDescription
        self.assertionValue = assertionValue
    }

    public init(_ attributeDescription: String, _ assertionValue: String) {
        self.init(
            attributeDescription: ByteBuffer(string: attributeDescription),
            assertionValue: ByteBuffer(string: assertionValue)
        )
    }
}

/// `SubstringFilter`: at most one initial (first), any number of any, at most one final (last),
/// and at least one of them.
public struct SubstringFilter: Hashable, Sendable {
    public var attributeDescription: ByteBuffer
    public var initial: ByteBuffer?
    public var any: [ByteBuffer]
    public var final: ByteBuffer?

    public init(attributeDescription: ByteBuffer, initial: ByteBuffer? = nil, any: [ByteBuffer] = [], final: ByteBuffer? = nil) {
        self.attributeDescription = attributeDescription
        self.initial = initial
        self.any = any
        self.final = final
    }
}

/// `MatchingRuleAssertion` of an extensible match: a rule, a type, or both, and the value.
public struct MatchingRuleAssertion: Hashable, Sendable {
    public var matchingRule: ByteBuffer?
    public var type: ByteBuffer?
    public var matchValue: ByteBuffer
    public var dnAttributes: Bool

    public init(matchingRule: ByteBuffer?, type: ByteBuffer?, matchValue: ByteBuffer, dnAttributes: Bool = false) {
        self.matchingRule = matchingRule
        self.type = type
        self.matchValue = matchValue
        self.dnAttributes = dnAttributes
    }
}

import NIOCore

/// Simple Paged Results (RFC 2696): `realSearchControlValue ::= SEQUENCE { size INTEGER (0..maxInt), cookie OCTET STRING }`.
/// The same value serves the request (page size) and the response (estimated total).
public struct PagedResultsControl: Hashable, Sendable {
    public static let oid = "1.2.840.113556.1.4.319"

    public var size: Int32
    /// Empty on the first request and on the last response.
    public var cookie: ByteBuffer

    public init(size: Int32, cookie: ByteBuffer = ByteBuffer()) {
        self.size = size
        self.cookie = cookie
    }

    public init(controlValue: ByteBuffer?) throws(LDAPDecodingError) {
        guard var value = controlValue else {
            throw LDAPDecodingError(.invalidValue("paged results control needs a value"), context: "PagedResultsControl")
        }
        var content = try value.readBERElement(expecting: .sequence, context: "PagedResultsControl")
        try value.requireBERFullyConsumed(context: "PagedResultsControl")
        self.size = try content.readBERInteger(as: Int32.self, context: "PagedResultsControl.size")
        guard size >= 0 else { throw LDAPDecodingError(.integerOutOfRange, context: "PagedResultsControl.size") }
        self.cookie = try content.readBEROctetString(context: "PagedResultsControl.cookie")
        try content.requireBERFullyConsumed(context: "PagedResultsControl")
    }

    public func control(criticality: Bool = false) -> LDAPControl {
        var value = ByteBuffer()
        value.writeBERElement(.sequence) { buffer in
            buffer.writeBERInteger(size)
            buffer.writeBEROctetString(cookie)
        }
        return LDAPControl(Self.oid, criticality: criticality, value: value)
    }
}

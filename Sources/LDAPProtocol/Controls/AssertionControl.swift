import NIOCore

/// The Assertion control (RFC 4528): the operation proceeds only if the target entry matches the filter.
public struct AssertionControl: Hashable, Sendable {
    public static let oid = "1.3.6.1.1.12"

    public var assertion: Filter

    public init(assertion: Filter) { self.assertion = assertion }

    public init(controlValue: ByteBuffer?, options: LDAPDecodingOptions = .init()) throws(LDAPDecodingError) {
        guard var value = controlValue else {
            throw LDAPDecodingError(.invalidValue("the assertion control needs a value"), context: "AssertionControl")
        }
        self.assertion = try Filter(from: &value, maximumDepth: options.maximumFilterDepth)
        try value.requireBERFullyConsumed(context: "AssertionControl")
    }

    public func control(criticality: Bool = true) -> LDAPControl {
        var value = ByteBuffer()
        assertion.write(into: &value)
        return LDAPControl(Self.oid, criticality: criticality, value: value)
    }
}

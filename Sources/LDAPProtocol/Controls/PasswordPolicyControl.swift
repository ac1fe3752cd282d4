import NIOCore

/// Password policy controls of draft-behera-ldap-password-policy-10 §6.1–6.2.
///
/// The request carries no value. The response value is
/// `SEQUENCE { warning [0] CHOICE { timeBeforeExpiration [0] INTEGER, graceAuthNsRemaining [1] INTEGER } OPTIONAL,
///             error [1] ENUMERATED OPTIONAL }`.
public enum PasswordPolicyControl {
    public static let oid = "1.3.6.1.4.1.42.2.27.8.5.1"

    /// The request control a client attaches to ask for the response control.
    public static func request(criticality: Bool = false) -> LDAPControl {
        LDAPControl(oid, criticality: criticality)
    }
}

/// The value of the password policy response control.
public struct PasswordPolicyResponse: Hashable, Sendable {
    public enum Warning: Hashable, Sendable {
        case timeBeforeExpiration(Int32)
        case graceAuthenticationsRemaining(Int32)
    }

    /// The draft's error codes; unknown values are kept.
    public struct Error: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let passwordExpired = Error(rawValue: 0)
        public static let accountLocked = Error(rawValue: 1)
        public static let changeAfterReset = Error(rawValue: 2)
        public static let passwordModNotAllowed = Error(rawValue: 3)
        public static let mustSupplyOldPassword = Error(rawValue: 4)
        public static let insufficientPasswordQuality = Error(rawValue: 5)
        public static let passwordTooShort = Error(rawValue: 6)
        public static let passwordTooYoung = Error(rawValue: 7)
        public static let passwordInHistory = Error(rawValue: 8)
    }

    static let warningTag = BERTag.context(0, constructed: true)
    static let timeBeforeExpirationTag = BERTag.context(0, constructed: false)
    static let graceTag = BERTag.context(1, constructed: false)
    static let errorTag = BERTag.context(1, constructed: false)

    public var warning: Warning?
    public var error: Error?

    public init(warning: Warning? = nil, error: Error? = nil) {
        self.warning = warning
        self.error = error
    }

    public init(controlValue: ByteBuffer?) throws(LDAPDecodingError) {
        let context = "PasswordPolicyResponse"
        guard var value = controlValue else {
            throw LDAPDecodingError(.invalidValue("the response control needs a value"), context: context)
        }
        var content = try value.readBERElement(expecting: .sequence, context: context)
        try value.requireBERFullyConsumed(context: context)
        if content.peekBERTag() == Self.warningTag {
            var choice = try content.readBERElement(expecting: Self.warningTag, context: "\(context).warning")
            let element = try choice.readBERElement()
            try choice.requireBERFullyConsumed(context: "\(context).warning")
            let number = try element.content.berIntegerValue(as: Int32.self, context: "\(context).warning")
            switch element.tag {
            case Self.timeBeforeExpirationTag:
                guard number >= 0 else { throw LDAPDecodingError(.integerOutOfRange, context: "\(context).warning") }
                self.warning = .timeBeforeExpiration(number)
            case Self.graceTag:
                self.warning = .graceAuthenticationsRemaining(number)
            default:
                throw LDAPDecodingError(.unknownChoice(element.tag), context: "\(context).warning")
            }
        }
        if content.readableBytes > 0 {
            self.error = Error(rawValue: try content.readBERInteger(as: Int32.self, tag: Self.errorTag, context: "\(context).error"))
        }
        try content.requireBERFullyConsumed(context: context)
    }

    public func control() -> LDAPControl {
        var value = ByteBuffer()
        value.writeBERElement(.sequence) { buffer in
            if let warning {
                buffer.writeBERElement(Self.warningTag) { buffer in
                    switch warning {
                    case .timeBeforeExpiration(let seconds):
                        buffer.writeBERInteger(seconds, tag: Self.timeBeforeExpirationTag)
                    case .graceAuthenticationsRemaining(let count):
                        buffer.writeBERInteger(count, tag: Self.graceTag)
                    }
                }
            }
            if let error { buffer.writeBERInteger(error.rawValue, tag: Self.errorTag) }
        }
        return LDAPControl(PasswordPolicyControl.oid, value: value)
    }
}

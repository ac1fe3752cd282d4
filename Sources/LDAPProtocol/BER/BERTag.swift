/// The identifier octets of a BER element (X.690 §8.1.2): class, primitive/constructed, and tag number.
public struct BERTag: Hashable, Sendable, CustomStringConvertible {
    /// The two class bits of the identifier octet.
    public enum TagClass: UInt8, Sendable {
        case universal = 0x00
        case application = 0x40
        case contextSpecific = 0x80
        case `private` = 0xC0
    }

    public var tagClass: TagClass
    public var isConstructed: Bool
    public var number: UInt32

    @inlinable
    public init(_ tagClass: TagClass, constructed: Bool, number: UInt32) {
        self.tagClass = tagClass
        self.isConstructed = constructed
        self.number = number
    }

    public static let boolean = BERTag(.universal, constructed: false, number: 1)
    public static let integer = BERTag(.universal, constructed: false, number: 2)
    public static let octetString = BERTag(.universal, constructed: false, number: 4)
    public static let null = BERTag(.universal, constructed: false, number: 5)
    public static let enumerated = BERTag(.universal, constructed: false, number: 10)
    public static let sequence = BERTag(.universal, constructed: true, number: 16)
    public static let set = BERTag(.universal, constructed: true, number: 17)

    /// An application-class tag, as LDAP uses for its protocol operations.
    @inlinable
    public static func application(_ number: UInt32, constructed: Bool) -> BERTag {
        BERTag(.application, constructed: constructed, number: number)
    }

    /// A context-specific tag, as LDAP uses for CHOICE alternatives and optional fields.
    @inlinable
    public static func context(_ number: UInt32, constructed: Bool) -> BERTag {
        BERTag(.contextSpecific, constructed: constructed, number: number)
    }

    public var description: String {
        let cls: String
        switch tagClass {
        case .universal: cls = "UNIVERSAL"
        case .application: cls = "APPLICATION"
        case .contextSpecific: cls = "CONTEXT"
        case .private: cls = "PRIVATE"
        }
        return "[\(cls) \(number)\(isConstructed ? " constructed" : "")]"
    }
}

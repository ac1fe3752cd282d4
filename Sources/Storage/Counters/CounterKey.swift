/// A key of the `counters` database, whose values are 8-byte big-endian counts (a count that drops to zero is
/// deleted, so the database holds exactly the non-zero counters).
///
/// - `count:total`: every entry;
/// - `count:oc:<class OID>`: the entries listing the class in `objectClass` (each class once per entry, as
///   listed: superclasses that are implied but not listed are not counted);
/// - `count:<attribute OID>:<value>`: the entries holding the equality-normalised value in a counted attribute
///   (or a subtype of it), each value once per entry.
package enum CounterKey: Hashable, Sendable, CustomStringConvertible {
    /// `count:total`.
    case total
    /// `count:oc:<oid>`.
    case objectClass(String)
    /// `count:<oid>:<normalised value>`.
    case value(attribute: String, value: [UInt8])

    private static let prefix = Array("count:".utf8)

    /// The database key (cut to `maxKeySize`, LMDB's limit: counted values are short codes).
    func bytes(maxKeySize: Int) -> [UInt8] {
        var key = Self.prefix
        switch self {
        case .total: key += Array("total".utf8)
        case .objectClass(let oid): key += Array("oc:".utf8) + Array(oid.utf8)
        case .value(let attribute, let value): key += Array(attribute.utf8) + [UInt8(ascii: ":")] + value
        }
        return key.count <= maxKeySize ? key : Array(key.prefix(maxKeySize))
    }

    /// Parses a database key.
    init?(bytes: [UInt8]) {
        guard bytes.starts(with: Self.prefix) else { return nil }
        let rest = bytes.dropFirst(Self.prefix.count)
        if rest.elementsEqual("total".utf8) {
            self = .total
        } else if rest.starts(with: "oc:".utf8) {
            self = .objectClass(String(decoding: rest.dropFirst(3), as: UTF8.self))
        } else if let colon = rest.firstIndex(of: UInt8(ascii: ":")) {
            self = .value(
                attribute: String(decoding: rest[rest.startIndex..<colon], as: UTF8.self),
                value: Array(rest[(colon + 1)...]))
        } else {
            return nil
        }
    }

    /// `count:…` with the value as text.
    package var description: String {
        switch self {
        case .total: "count:total"
        case .objectClass(let oid): "count:oc:\(oid)"
        case .value(let attribute, let value): "count:\(attribute):\(String(decoding: value, as: UTF8.self))"
        }
    }
}

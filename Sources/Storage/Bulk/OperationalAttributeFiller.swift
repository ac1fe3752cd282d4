import LDAPProtocol
import Schema

/// Completes an imported entry with the operational attributes the server keeps on every entry, when the LDIF
/// does not carry them (a `slapcat` export does; a hand-written or generated file usually does not).
///
/// - `entryUUID`: a new random (version 4) UUID, lower case;
/// - `createTimestamp`: the import's time, UTC Generalized Time (`20250102030405Z`);
/// - `modifyTimestamp`: the entry's `createTimestamp`;
/// - `creatorsName`: the root DN;
/// - `modifiersName`: the entry's `creatorsName`.
///
/// Values present in the LDIF are kept as they are, byte for byte (as are all other attributes, `userPassword`
/// hashes included). Types are recognised by OID, so `1.3.6.1.1.16.4: …` counts as an `entryUUID`.
struct OperationalAttributeFiller: Sendable {
    let context: SchemaContext
    let rootDN: String
    /// The Generalized Time of the import, written into entries without `createTimestamp`.
    let timestamp: String
    /// Makes the UUIDs of entries without `entryUUID` (text form, lower case).
    let makeUUID: @Sendable () -> String

    static let entryUUID = "1.3.6.1.1.16.4"
    static let createTimestamp = "2.5.18.1"
    static let modifyTimestamp = "2.5.18.2"
    static let creatorsName = "2.5.18.3"
    static let modifiersName = "2.5.18.4"

    init(
        context: SchemaContext, rootDN: DistinguishedName, now: Int64, makeUUID: @escaping @Sendable () -> String
    ) {
        self.context = context
        self.rootDN = rootDN.description
        self.timestamp = Self.generalizedTime(secondsSince1970: now)
        self.makeUUID = makeUUID
    }

    /// `entry` with the missing operational attributes added, at the end, in the order above.
    func filled(_ entry: Entry) -> Entry {
        var present: [String: [UInt8]] = [:]
        for attribute in entry.attributes where attribute.description.options.isEmpty {
            guard let oid = context.attributeType(named: attribute.description.type)?.oid else { continue }
            if present[oid] == nil { present[oid] = attribute.values.first ?? [] }
        }
        var result = entry
        func add(_ name: String, oid: String, _ value: [UInt8]) {
            guard present[oid] == nil else { return }
            result.attributes.append(EntryAttribute(description: AttributeDescription(name), values: [value]))
            present[oid] = value
        }
        add("entryUUID", oid: Self.entryUUID, Array(makeUUID().utf8))
        add("creatorsName", oid: Self.creatorsName, Array(rootDN.utf8))
        add("createTimestamp", oid: Self.createTimestamp, Array(timestamp.utf8))
        add("modifiersName", oid: Self.modifiersName, present[Self.creatorsName] ?? Array(rootDN.utf8))
        add("modifyTimestamp", oid: Self.modifyTimestamp, present[Self.createTimestamp] ?? Array(timestamp.utf8))
        return result
    }

    /// `YYYYMMDDHHMMSSZ` in UTC, for a time in seconds since 1970-01-01T00:00:00Z.
    static func generalizedTime(secondsSince1970 seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return digits(year, 4) + digits(month, 2) + digits(day, 2) + digits(secondOfDay / 3600, 2)
            + digits(secondOfDay / 60 % 60, 2) + digits(secondOfDay % 60, 2) + "Z"
    }

    /// A random (version 4, RFC 9562) UUID in lower-case text form.
    static func randomUUID() -> String {
        // Two 64-bit draws (two getrandom calls) rather than one draw per byte.
        var generator = SystemRandomNumberGenerator()
        let high = generator.next()
        let low = generator.next()
        var bytes = (0..<16).map { index in
            UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> UInt64(8 * (7 - index % 8)))
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(0x2D) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

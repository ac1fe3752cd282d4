import LDAPProtocol
import Schema

/// Completes an imported entry with the operational attributes the server keeps on every entry, when the LDIF
/// does not carry them (a `slapcat` export does; a hand-written or generated file usually does not).
///
/// - `entryUUID`: a new random (version 4) UUID, lower case;
/// - `createTimestamp`: the import's time, UTC Generalized Time (`20250102030405Z`);
/// - `modifyTimestamp`: the entry's `createTimestamp`;
/// - `creatorsName`: the root DN;
/// - `modifiersName`: the entry's `creatorsName`;
/// - `structuralObjectClass`: the entry's structural class (RFC 4512 §3.4.7), from the schema;
/// - `entryCSN` (when the schema has it): the import's time, with the record's line number as change count, in
///   OpenLDAP's form `YYYYmmddHHMMSS.uuuuuuZ#cccccc#000#000000`, so every imported entry has a distinct CSN
///   and a later replication consumer sees them as older than any change made afterwards.
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
    /// ``rootDN`` and ``timestamp`` as values, made once rather than per entry.
    private let rootDNValue: [UInt8]
    private let timestampValue: [UInt8]
    /// The lengths (in UTF-8 bytes) of the names of the five types: an attribute whose type is spelled with
    /// another length, and not as an OID, is none of them and is not looked up in the schema (a dictionary lookup
    /// of the lower-cased name per attribute was most of this filler's cost).
    private let nameLengths: Set<Int>

    static let entryUUID = "1.3.6.1.1.16.4"
    static let createTimestamp = "2.5.18.1"
    static let modifyTimestamp = "2.5.18.2"
    static let creatorsName = "2.5.18.3"
    static let modifiersName = "2.5.18.4"
    static let structuralObjectClass = "2.5.21.9"
    static let entryCSN = "1.3.6.1.4.1.4203.666.1.7"

    init(
        context: SchemaContext, rootDN: DistinguishedName, now: Int64, makeUUID: @escaping @Sendable () -> String
    ) {
        self.context = context
        self.rootDN = rootDN.description
        self.timestamp = Self.generalizedTime(secondsSince1970: now)
        self.makeUUID = makeUUID
        self.rootDNValue = Array(self.rootDN.utf8)
        self.timestampValue = Array(self.timestamp.utf8)
        var lengths: Set<Int> = []
        for oid in [
            Self.entryUUID, Self.createTimestamp, Self.modifyTimestamp, Self.creatorsName, Self.modifiersName,
            Self.structuralObjectClass, Self.entryCSN,
        ] {
            for name in context.attributeType(named: oid)?.names ?? [] { lengths.insert(name.utf8.count) }
        }
        self.nameLengths = lengths
        self.hasEntryCSN = context.attributeType(named: Self.entryCSN) != nil
        self.hasStructuralObjectClass = context.attributeType(named: Self.structuralObjectClass) != nil
    }

    /// Whether the schema defines entryCSN / structuralObjectClass (nothing is added otherwise).
    private let hasEntryCSN: Bool
    private let hasStructuralObjectClass: Bool

    /// Whether the type of `attribute` may be one of the five (see ``nameLengths``).
    private func mayBeFilled(_ type: String) -> Bool {
        guard let first = type.utf8.first else { return false }
        return (0x30...0x39).contains(first) || nameLengths.contains(type.utf8.count)
    }

    /// `entry` with the missing operational attributes added, at the end, in the order above. `sequence`
    /// distinguishes the entries of one import in their CSNs (the record's line number).
    func filled(_ entry: Entry, sequence: Int = 0) -> Entry {
        var present: [String: [UInt8]] = [:]
        for attribute in entry.attributes
        where attribute.description.options.isEmpty && mayBeFilled(attribute.description.type) {
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
        add("creatorsName", oid: Self.creatorsName, rootDNValue)
        add("createTimestamp", oid: Self.createTimestamp, timestampValue)
        add("modifiersName", oid: Self.modifiersName, present[Self.creatorsName] ?? rootDNValue)
        add("modifyTimestamp", oid: Self.modifyTimestamp, present[Self.createTimestamp] ?? timestampValue)
        if hasStructuralObjectClass, present[Self.structuralObjectClass] == nil,
            let structural = try? context.structuralObjectClass(of: entry)
        {
            add("structuralObjectClass", oid: Self.structuralObjectClass, Array(structural.primaryName.utf8))
        }
        if hasEntryCSN { add("entryCSN", oid: Self.entryCSN, Array(changeSequenceNumber(sequence).utf8)) }
        return result
    }

    /// `YYYYmmddHHMMSS.uuuuuuZ#cccccc#000#000000` for the import's time: the count field holds `sequence`
    /// (24 bits), the microseconds what is above them.
    func changeSequenceNumber(_ sequence: Int) -> String {
        let value = max(0, sequence)
        let micro = String(min(value >> 24, 999_999))
        let count = String(value & 0xFF_FFFF, radix: 16)
        return String(timestamp.dropLast()) + "." + String(repeating: "0", count: 6 - micro.count) + micro + "Z#"
            + String(repeating: "0", count: 6 - count.count) + count + "#000#000000"
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

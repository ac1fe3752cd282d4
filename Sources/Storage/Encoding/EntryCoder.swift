import LDAPProtocol
import Schema

/// The stored form of an entry (the values of the `entries` database): compact, versioned binary.
///
/// Version 1, all lengths and counts unsigned LEB128 varints:
///
/// ```
/// version           1 byte (1)
/// rdn count         varint, then per RDN (leaf first, as the DN is written):
///   ava count       varint (≥ 1), then per attribute-value assertion:
///     type          varint length + UTF-8 bytes, as written (`cn`, `2.5.4.3`)
///     flags         1 byte: bit 0 = the value was written in the `#hex` form
///     value         varint length + bytes
/// attribute count   varint, then per attribute:
///   description     varint length + UTF-8 bytes (`cn;lang-fr`), as given
///   value count     varint, then each value as varint length + bytes
/// ```
///
/// The DN and the attributes are kept as given (structure, spelling and order); normalised forms live in the
/// index databases. The decoder refuses any other version with ``EntryDecodingError/Reason/unsupportedVersion(_:)``,
/// so a release never misreads an entry that a later one wrote; a later release that changes the layout bumps the
/// version and keeps a decoder for each earlier one.
package enum EntryCoder {
    /// The version this release writes (and the only one it reads).
    package static let version: UInt8 = 1

    private static let hexFormFlag: UInt8 = 0x01

    /// The stored bytes of `entry`.
    package static func encode(_ entry: Entry) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writer.write(byte: version)
        writer.write(varint: entry.dn.rdns.count)
        for rdn in entry.dn.rdns {
            writer.write(varint: rdn.attributes.count)
            for component in rdn.attributes {
                writer.write(lengthPrefixed: component.type)
                writer.write(byte: component.isHexForm ? hexFormFlag : 0)
                writer.write(lengthPrefixed: component.value)
            }
        }
        writer.write(varint: entry.attributes.count)
        for attribute in entry.attributes {
            writer.write(lengthPrefixed: attribute.description.description)
            writer.write(varint: attribute.values.count)
            for value in attribute.values {
                writer.write(lengthPrefixed: value)
            }
        }
        return writer.bytes
    }

    /// The entry stored in `bytes`.
    package static func decode(_ bytes: [UInt8]) throws(EntryDecodingError) -> Entry {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(EntryDecodingError) in try decode(buffer) }
        }.get()
    }

    /// The entry stored in `bytes` (a view into the map is fine: everything is copied).
    package static func decode(_ bytes: UnsafeRawBufferPointer) throws(EntryDecodingError) -> Entry {
        var reader = ByteReader(bytes)
        guard !reader.isAtEnd else { throw EntryDecodingError(.empty, at: 0) }
        let storedVersion = try reader.readByte()
        guard storedVersion == version else { throw EntryDecodingError(.unsupportedVersion(storedVersion), at: 0) }

        // The smallest RDN is 4 bytes (count, type length, flags, value length); the smallest AVA 3.
        let rdnCount = try reader.readCount(minimumSize: 4)
        var rdns: [RelativeDistinguishedName] = []
        rdns.reserveCapacity(rdnCount)
        for _ in 0..<rdnCount {
            let start = reader.offset
            let componentCount = try reader.readCount(minimumSize: 3)
            var components: [AttributeTypeAndValue] = []
            components.reserveCapacity(componentCount)
            for _ in 0..<componentCount {
                let type = try reader.readString()
                let flagsOffset = reader.offset
                let flags = try reader.readByte()
                guard flags & ~hexFormFlag == 0 else { throw EntryDecodingError(.invalidFlags(flags), at: flagsOffset) }
                let value = try reader.readLengthPrefixed()
                components.append(AttributeTypeAndValue(type: type, value: value, isHexForm: flags & hexFormFlag != 0))
            }
            guard let rdn = RelativeDistinguishedName(attributes: components) else {
                throw EntryDecodingError(.emptyRDN, at: start)
            }
            rdns.append(rdn)
        }

        let attributeCount = try reader.readCount(minimumSize: 2)
        var attributes: [EntryAttribute] = []
        attributes.reserveCapacity(attributeCount)
        for _ in 0..<attributeCount {
            let description = try reader.readString()
            let valueCount = try reader.readCount(minimumSize: 1)
            var values: [[UInt8]] = []
            values.reserveCapacity(valueCount)
            for _ in 0..<valueCount {
                values.append(try reader.readLengthPrefixed())
            }
            attributes.append(EntryAttribute(description: AttributeDescription(description), values: values))
        }
        guard reader.isAtEnd else { throw EntryDecodingError(.trailingBytes(reader.remaining), at: reader.offset) }
        return Entry(dn: DistinguishedName(rdns: rdns), attributes: attributes)
    }
}

import LDAPProtocol
import Schema
import Testing

@testable import Storage

@Suite("Entry encoding")
struct EntryCoderTests {
    static func randomBytes(_ count: Int, _ generator: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func randomEntry(_ generator: inout SeededGenerator) -> Entry {
        var rdns: [RelativeDistinguishedName] = []
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            var components: [AttributeTypeAndValue] = []
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                components.append(
                    AttributeTypeAndValue(
                        type: ["cn", "uid", "2.5.4.3", "dc", "ou"].randomElement(using: &generator)!,
                        value: randomBytes(Int.random(in: 0...40, using: &generator), &generator),
                        isHexForm: Bool.random(using: &generator)))
            }
            rdns.append(RelativeDistinguishedName(attributes: components)!)
        }
        var attributes: [EntryAttribute] = []
        for _ in 0..<Int.random(in: 0...8, using: &generator) {
            let values = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                randomBytes(Int.random(in: 0...300, using: &generator), &generator)
            }
            let description = ["cn", "cn;lang-fr", "jpegPhoto;binary", "description", "é"].randomElement(
                using: &generator)!
            attributes.append(EntryAttribute(description: AttributeDescription(description), values: values))
        }
        return Entry(dn: DistinguishedName(rdns: rdns), attributes: attributes)
    }

    @Test("random entries round-trip, DN structure, spelling and value order included")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 0xE17)
        for _ in 0..<500 {
            let entry = Self.randomEntry(&generator)
            let encoded = EntryCoder.encode(entry)
            #expect(encoded.first == EntryCoder.version)
            #expect(try EntryCoder.decode(encoded) == entry)
        }
        let given = try makeEntry("CN=Babs  Jensen+uid=bj,DC=Example", [("cn", ["Babs Jensen", "babs"])])
        let decoded = try EntryCoder.decode(EntryCoder.encode(given))
        #expect(decoded.dn.description == given.dn.description)
        #expect(decoded.values(of: "cn") == [Array("Babs Jensen".utf8), Array("babs".utf8)])
    }

    @Test("the encoding is compact: a typical person takes little more than its values")
    func compact() throws {
        let entry = try person("jdupont")
        let payload =
            entry.attributes.reduce(0) {
                $0 + $1.description.description.utf8.count
                    + $1.values.reduce(0) { $0 + $1.count }
            } + entry.dn.description.utf8.count
        #expect(EntryCoder.encode(entry).count < payload + 64)
    }

    @Test("an unknown version is refused with a clear error")
    func unknownVersion() throws {
        var encoded = EntryCoder.encode(try person("a"))
        encoded[0] = 2
        let error = #expect(throws: EntryDecodingError.self) { try EntryCoder.decode(encoded) }
        #expect(error?.reason == .unsupportedVersion(2))
        #expect(error?.description.contains("unsupported entry format version 2") == true)
        #expect(throws: EntryDecodingError(.empty, at: 0)) { try EntryCoder.decode([]) }
    }

    @Test(
        "every truncation, every single-byte corruption and random bytes give a typed error or an entry, never a trap")
    func corruptInput() throws {
        let encoded = EntryCoder.encode(try person("corrupt", extra: [("description", ["x"])]))
        for length in 0..<encoded.count {
            #expect(throws: EntryDecodingError.self) { try EntryCoder.decode(Array(encoded.prefix(length))) }
        }
        #expect(throws: EntryDecodingError.self) { try EntryCoder.decode(encoded + [0]) }
        for index in encoded.indices {
            for value: UInt8 in [0x00, 0x7F, 0x80, 0xFF] {
                var damaged = encoded
                damaged[index] = value
                _ = try? EntryCoder.decode(damaged)
            }
        }
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2000 {
            let bytes = [1] + Self.randomBytes(Int.random(in: 0...64, using: &generator), &generator)
            _ = try? EntryCoder.decode(bytes)
        }
        // A huge count with few bytes: refused before any allocation.
        let hugeCount: [UInt8] = [1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        let error = #expect(throws: EntryDecodingError.self) { try EntryCoder.decode(hugeCount) }
        #expect(error?.reason == .countTooLarge(0xFFFF_FFFF))
        // A varint longer than 64 bits.
        let overflow: [UInt8] = [1] + Array(repeating: 0xFF, count: 10) + [0x01]
        #expect(throws: EntryDecodingError(.varintOverflow, at: 1)) { try EntryCoder.decode(overflow) }
    }
}

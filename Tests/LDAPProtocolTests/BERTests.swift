import NIOCore
import Testing

@testable import LDAPProtocol

@Suite("BER reader and writer")
struct BERTests {
    @Test("short and long definite lengths round-trip", arguments: [0, 1, 127, 128, 255, 256, 65_535, 65_536, 1 << 24])
    func lengths(length: Int) throws {
        var buffer = ByteBuffer()
        buffer.writeBERLength(length)
        #expect(buffer.readableBytes == ByteBuffer.berLengthSize(length))
        #expect(try buffer.readBERLength() == length)
        #expect(buffer.readableBytes == 0)
    }

    @Test("non-minimal long-form lengths are accepted, as BER allows")
    func nonMinimalLength() throws {
        var buffer = hexBuffer("04 82 00 03 61 62 63")
        let value = try buffer.readBEROctetString(context: "test")
        #expect(String(buffer: value) == "abc")
    }

    @Test("indefinite length is refused")
    func indefinite() {
        var buffer = hexBuffer("30 80 02 01 01 00 00")
        #expect(throws: LDAPDecodingError(.indefiniteLength, context: "length")) {
            _ = try buffer.readBERElement()
        }
    }

    @Test("a length larger than the input is reported as truncated")
    func truncatedContent() {
        var buffer = hexBuffer("04 05 61 62")
        #expect { _ = try buffer.readBERElement() } throws: { error in
            (error as? LDAPDecodingError)?.kind == .truncated
        }
    }

    @Test("a length wider than 31 bits is refused")
    func hugeLength() {
        var buffer = hexBuffer("04 88 ff ff ff ff ff ff ff ff 00")
        #expect { _ = try buffer.readBERElement() } throws: { error in
            (error as? LDAPDecodingError)?.kind == .lengthTooLarge
        }
    }

    @Test("tags of every class, constructed or not, and high tag numbers round-trip")
    func tags() throws {
        let classes: [BERTag.TagClass] = [.universal, .application, .contextSpecific, .private]
        for tagClass in classes {
            for constructed in [false, true] {
                for number: UInt32 in [0, 1, 30, 31, 127, 128, 16_383, 16_384, 1 << 27] {
                    let tag = BERTag(tagClass, constructed: constructed, number: number)
                    var buffer = ByteBuffer()
                    buffer.writeBERTag(tag)
                    #expect(try buffer.readBERTag() == tag)
                    #expect(buffer.readableBytes == 0)
                }
            }
        }
    }

    @Test("BOOLEAN true is any non-zero octet on input; TRUE is written as 0xFF")
    func booleans() throws {
        for byte: UInt8 in [0x01, 0x7F, 0x80, 0xFF] {
            var buffer = ByteBuffer(bytes: [0x01, 0x01, byte])
            #expect(try buffer.readBERBoolean(context: "test") == true)
        }
        var falseBuffer = hexBuffer("01 01 00")
        #expect(try falseBuffer.readBERBoolean(context: "test") == false)
        var written = ByteBuffer()
        written.writeBERBoolean(true)
        #expect(written.hexString == "0101ff")
        var twoOctets = hexBuffer("01 02 00 01")
        #expect { _ = try twoOctets.readBERBoolean(context: "test") } throws: { error in
            (error as? LDAPDecodingError)?.kind == .malformedBoolean
        }
    }

    @Test("INTEGER minimal encodings", arguments: [
        (Int64(0), "020100"), (127, "02017f"), (128, "02020080"), (256, "02020100"), (-1, "0201ff"),
        (-128, "020180"), (-129, "0202ff7f"), (Int64(Int32.max), "02047fffffff"),
        (Int64(Int32.min), "020480000000"), (Int64.max, "02087fffffffffffffff"), (Int64.min, "02088000000000000000"),
    ])
    func integers(value: Int64, hex: String) throws {
        var buffer = ByteBuffer()
        buffer.writeBERInteger(value)
        #expect(buffer.hexString == hex)
        #expect(try buffer.readBERInteger(as: Int64.self, context: "test") == value)
    }

    @Test("INTEGER of any legal length: redundant sign octets are read, out-of-range values refused")
    func integerRanges() throws {
        var padded = hexBuffer("02 06 00 00 00 00 00 05")
        #expect(try padded.readBERInteger(as: Int32.self, context: "test") == 5)
        var negativePadded = hexBuffer("02 04 ff ff ff fe")
        #expect(try negativePadded.readBERInteger(as: Int8.self, context: "test") == -2)
        var tooBig = hexBuffer("02 05 01 00 00 00 00")
        #expect { _ = try tooBig.readBERInteger(as: Int32.self, context: "test") } throws: { error in
            (error as? LDAPDecodingError)?.kind == .integerOutOfRange
        }
        var twentyOctets = ByteBuffer(bytes: [0x02, 20] + [UInt8](repeating: 0x7F, count: 20))
        #expect { _ = try twentyOctets.readBERInteger(as: Int64.self, context: "test") } throws: { error in
            (error as? LDAPDecodingError)?.kind == .integerOutOfRange
        }
        var empty = hexBuffer("02 00")
        #expect { _ = try empty.readBERInteger(as: Int32.self, context: "test") } throws: { error in
            (error as? LDAPDecodingError)?.kind == .malformedInteger
        }
    }

    @Test("random integers round-trip through every width")
    func integerProperty() throws {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<10_000 {
            let value = Int64(bitPattern: random.next()) >> Int64.random(in: 0..<63, using: &random)
            var buffer = ByteBuffer()
            buffer.writeBERInteger(value, tag: .enumerated)
            #expect(try buffer.readBERInteger(as: Int64.self, tag: .enumerated, context: "test") == value)
        }
    }

    @Test("NULL must be empty")
    func null() throws {
        var good = hexBuffer("05 00")
        try good.readBERNull(context: "test")
        var bad = hexBuffer("05 01 00")
        #expect { try bad.readBERNull(context: "test") } throws: { error in
            (error as? LDAPDecodingError)?.kind == .malformedNull
        }
    }

    @Test("constructed elements grow their length field in place when the content is long", arguments: [
        0, 1, 126, 127, 128, 255, 256, 70_000,
    ])
    func constructedInPlace(contentSize: Int) throws {
        for hint in 1...4 {
            var buffer = ByteBuffer(string: "prefix")
            buffer.writeBERElement(.sequence, lengthHint: hint) { buffer in
                buffer.writeRepeatingByte(0xAB, count: contentSize)
            }
            #expect(buffer.readString(length: 6) == "prefix")
            let content = try buffer.readBERElement(expecting: .sequence, context: "test")
            #expect(content.readableBytes == contentSize)
            #expect(content.readableBytesView.allSatisfy { $0 == 0xAB })
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test("SET OF and nested SEQUENCE")
    func setOf() throws {
        var buffer = ByteBuffer()
        buffer.writeBERElement(.sequence) { buffer in
            buffer.writeBERElement(.set) { buffer in
                for value in ["a", "bb", "ccc"] { buffer.writeBEROctetString(value) }
            }
        }
        #expect(buffer.hexString == "300e310c040161040262620403636363")
        var outer = try buffer.readBERElement(expecting: .sequence, context: "test")
        var set = try outer.readBERElement(expecting: .set, context: "test")
        var values: [String] = []
        while set.readableBytes > 0 { values.append(String(buffer: try set.readBEROctetString(context: "test"))) }
        #expect(values == ["a", "bb", "ccc"])
    }

    @Test("berElementSize asks for more bytes until the header is complete")
    func elementSize() throws {
        let full = hexBuffer("30 82 01 00")
        for prefix in 0..<4 {
            let partial = full.getSlice(at: 0, length: prefix) ?? ByteBuffer()
            #expect(try partial.berElementSize() == nil)
        }
        #expect(try full.berElementSize() == 4 + 256)
    }

    @Test("berElementCount counts whole elements by their headers and stops at malformed bytes")
    func elementCount() {
        #expect(ByteBuffer().berElementCount() == 0)
        #expect(hexBuffer("04 01 61 04 00 30 03 02 01 05").berElementCount() == 3)
        #expect(hexBuffer("04 01 61 04 05 61").berElementCount() == 1)
        #expect(hexBuffer("04 01 61 30 80 00 00").berElementCount() == 1)
    }
}

import NIOCore
import SwiftASN1
import Testing

@testable import LDAPProtocol

/// apple/swift-asn1 serves as an independent oracle: our encodings must be valid DER-length BER to it,
/// and trees it serialises must decode the same with our reader.
@Suite("swift-asn1 as oracle")
struct ASN1OracleTests {
    @Test("our encoding of every operation parses with swift-asn1 and re-serialises to the same bytes", arguments: sampleMessages)
    func oracleAcceptsOurEncoding(message: LDAPMessage) throws {
        var buffer = ByteBuffer()
        message.write(into: &buffer)
        let bytes = Array(buffer.readableBytesView)
        // DER parsing enforces minimal lengths, which our writer promises.
        let node = try DER.parse(bytes)
        var serializer = DER.Serializer()
        serializer.serialize(node)
        #expect(serializer.serializedBytes == bytes)
        #expect(try countMismatches(node, against: &buffer) == 0)
    }

    @Test("random trees written by swift-asn1 are read identically by our BER reader")
    func ourReaderAgreesWithOracle() throws {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            var serializer = DER.Serializer()
            try appendRandomNode(to: &serializer, depth: 0, random: &random)
            let bytes = serializer.serializedBytes
            let node = try DER.parse(bytes)
            var buffer = ByteBuffer(bytes: bytes)
            #expect(try countMismatches(node, against: &buffer) == 0)
            #expect(buffer.readableBytes == 0)
        }
    }

    /// Walks the oracle's tree and our reader side by side; returns the number of differences.
    private func countMismatches(_ node: ASN1Node, against buffer: inout ByteBuffer) throws -> Int {
        let element = try buffer.readBERElement()
        var mismatches = 0
        if element.tag.number != UInt32(node.identifier.tagNumber) { mismatches += 1 }
        let expectedClass: BERTag.TagClass = switch node.identifier.tagClass {
        case .universal: .universal
        case .application: .application
        case .contextSpecific: .contextSpecific
        case .private: .private
        }
        if element.tag.tagClass != expectedClass { mismatches += 1 }
        switch node.content {
        case .primitive(let bytes):
            if element.tag.isConstructed || Array(element.content.readableBytesView) != Array(bytes) { mismatches += 1 }
        case .constructed(let children):
            if !element.tag.isConstructed { mismatches += 1 }
            var content = element.content
            for child in children { mismatches += try countMismatches(child, against: &content) }
            if content.readableBytes != 0 { mismatches += 1 }
        }
        return mismatches
    }

    private func appendRandomNode(to serializer: inout DER.Serializer, depth: Int, random: inout SeededGenerator) throws {
        let classes: [ASN1Identifier.TagClass] = [.universal, .application, .contextSpecific, .private]
        let tagClass = classes[Int.random(in: 0..<4, using: &random)]
        let number = UInt.random(in: 0...40, using: &random) == 40 ? UInt.random(in: 31...100_000, using: &random)
            : UInt.random(in: 1...30, using: &random)
        let identifier = ASN1Identifier(tagWithNumber: number, tagClass: tagClass)
        if depth < 4, Bool.random(using: &random) {
            let children = Int.random(in: 0...4, using: &random)
            try serializer.appendConstructedNode(identifier: identifier) { inner in
                for _ in 0..<children { try appendRandomNode(to: &inner, depth: depth + 1, random: &random) }
            }
        } else {
            let size = Bool.random(using: &random) ? Int.random(in: 0...10, using: &random) : Int.random(in: 100...400, using: &random)
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            serializer.appendPrimitiveNode(identifier: identifier) { $0.append(contentsOf: bytes) }
        }
    }
}

import NIOCore
import SwiftASN1
import Testing

@testable import LDAPProtocol

/// Random, valid LDAP messages from a seeded generator.
struct RandomMessageGenerator {
    var random: SeededGenerator

    mutating func bytes(maximum: Int = 40) -> ByteBuffer {
        let count = Int.random(in: 0...maximum, using: &random)
        return ByteBuffer(bytes: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) })
    }

    mutating func int32() -> Int32 { Int32.random(in: 0...Int32.max, using: &random) }

    mutating func attribute() -> PartialAttribute {
        PartialAttribute(type: bytes(maximum: 12), values: (0..<Int.random(in: 0...4, using: &random)).map { _ in bytes() })
    }

    mutating func result() -> LDAPResult {
        LDAPResult(resultCode: ResultCode(rawValue: Int32.random(in: 0...5000, using: &random)), matchedDN: bytes(),
                   diagnosticMessage: bytes(), referral: Bool.random(using: &random) ? [bytes(), bytes()] : nil)
    }

    mutating func filter(depth: Int = 0) -> Filter {
        let choice = Int.random(in: depth > 4 ? 3...9 : 0...9, using: &random)
        let ava = AttributeValueAssertion(attributeDescription: bytes(maximum: 10), assertionValue: bytes())
        switch choice {
        case 0: return .and((0..<Int.random(in: 0...3, using: &random)).map { _ in filter(depth: depth + 1) })
        case 1: return .or((0..<Int.random(in: 0...3, using: &random)).map { _ in filter(depth: depth + 1) })
        case 2: return .not(filter(depth: depth + 1))
        case 3: return .equalityMatch(ava)
        case 4:
            var substrings = SubstringFilter(attributeDescription: bytes(maximum: 10), initial: Bool.random(using: &random) ? bytes() : nil,
                                             any: (0..<Int.random(in: 0...2, using: &random)).map { _ in bytes() },
                                             final: Bool.random(using: &random) ? bytes() : nil)
            if substrings.initial == nil, substrings.any.isEmpty, substrings.final == nil { substrings.any = [bytes()] }
            return .substrings(substrings)
        case 5: return .greaterOrEqual(ava)
        case 6: return .lessOrEqual(ava)
        case 7: return .present(bytes(maximum: 10))
        case 8: return .approxMatch(ava)
        default:
            let rule: ByteBuffer? = Bool.random(using: &random) ? bytes(maximum: 10) : nil
            return .extensibleMatch(.init(matchingRule: rule, type: rule == nil || Bool.random(using: &random) ? bytes(maximum: 10) : nil,
                                          matchValue: bytes(), dnAttributes: Bool.random(using: &random)))
        }
    }

    mutating func operation() -> ProtocolOperation {
        switch Int.random(in: 0...20, using: &random) {
        case 0: return .bindRequest(.init(version: Int.random(in: 1...127, using: &random), name: bytes(),
            authentication: Bool.random(using: &random) ? .simple(bytes())
                : .sasl(mechanism: bytes(maximum: 10), credentials: Bool.random(using: &random) ? bytes() : nil)))
        case 1: return .bindResponse(.init(result: result(), serverSaslCredentials: Bool.random(using: &random) ? bytes() : nil))
        case 2: return .unbindRequest
        case 3: return .searchRequest(.init(baseObject: bytes(), scope: .init(rawValue: Int.random(in: 0...3, using: &random)) ?? .baseObject,
            derefAliases: .init(rawValue: Int.random(in: 0...3, using: &random)) ?? .derefAlways, sizeLimit: int32(), timeLimit: int32(),
            typesOnly: Bool.random(using: &random), filter: filter(), attributes: (0..<Int.random(in: 0...3, using: &random)).map { _ in bytes(maximum: 8) }))
        case 4: return .searchResultEntry(.init(objectName: bytes(), attributes: (0..<Int.random(in: 0...5, using: &random)).map { _ in attribute() }))
        case 5: return .searchResultDone(result())
        case 6: return .searchResultReference(.init(uris: (0..<Int.random(in: 1...3, using: &random)).map { _ in bytes() }))
        case 7: return .modifyRequest(.init(object: bytes(), changes: (0..<Int.random(in: 0...3, using: &random)).map { _ in
            .init(operation: .init(rawValue: Int.random(in: 0...3, using: &random)) ?? .add, modification: attribute()) }))
        case 8: return .modifyResponse(result())
        case 9: return .addRequest(.init(entry: bytes(), attributes: (0..<Int.random(in: 0...4, using: &random)).map { _ in attribute() }))
        case 10: return .addResponse(result())
        case 11: return .delRequest(bytes())
        case 12: return .delResponse(result())
        case 13: return .modifyDNRequest(.init(entry: bytes(), newRDN: bytes(), deleteOldRDN: Bool.random(using: &random),
                                               newSuperior: Bool.random(using: &random) ? bytes() : nil))
        case 14: return .modifyDNResponse(result())
        case 15: return .compareRequest(.init(entry: bytes(), assertion: .init(attributeDescription: bytes(), assertionValue: bytes())))
        case 16: return .compareResponse(result())
        case 17: return .abandonRequest(int32())
        case 18: return .extendedRequest(.init(name: bytes(), value: Bool.random(using: &random) ? bytes() : nil))
        case 19: return .extendedResponse(.init(result: result(), name: Bool.random(using: &random) ? bytes() : nil,
                                                value: Bool.random(using: &random) ? bytes() : nil))
        default: return .intermediateResponse(.init(name: Bool.random(using: &random) ? bytes() : nil,
                                                    value: Bool.random(using: &random) ? bytes() : nil))
        }
    }

    mutating func message() -> LDAPMessage {
        LDAPMessage(messageID: int32(), protocolOp: operation(), controls: (0..<Int.random(in: 0...2, using: &random)).map { _ in
            LDAPControl(type: bytes(maximum: 20), criticality: Bool.random(using: &random), value: Bool.random(using: &random) ? bytes(maximum: 300) : nil)
        })
    }
}

@Suite("Message properties")
struct MessagePropertyTests {
    @Test("random messages round-trip, are DER-length encoded, and survive any split into frames")
    func randomRoundTrip() throws {
        var generator = RandomMessageGenerator(random: SeededGenerator(seed: 2026))
        var stream = ByteBuffer()
        var messages: [LDAPMessage] = []
        for _ in 0..<3_000 {
            let message = generator.message()
            var buffer = ByteBuffer()
            message.write(into: &buffer)
            _ = try DER.parse(Array(buffer.readableBytesView))
            stream.writeImmutableBuffer(buffer)
            let decoded = try LDAPMessage(from: &buffer)
            #expect(decoded == message)
            messages.append(message)
        }
        // Feed the whole stream in random chunk sizes through the frame splitter.
        var decoder = LDAPMessageDecoder(maximumMessageSize: 1 << 20)
        var pending = ByteBuffer()
        var decoded: [LDAPMessage] = []
        while stream.readableBytes > 0 {
            let take = min(stream.readableBytes, Int.random(in: 1...700, using: &generator.random))
            var chunk = stream.readSlice(length: take) ?? ByteBuffer()
            pending.writeBuffer(&chunk)
            while let message = try decoder.decode(buffer: &pending) { decoded.append(message) }
        }
        #expect(decoded == messages)
    }

    @Test("every truncation of a valid message is refused, never misread")
    func truncations() throws {
        for message in sampleMessages {
            var buffer = ByteBuffer()
            message.write(into: &buffer)
            for length in 0..<buffer.readableBytes {
                var truncated = buffer.getSlice(at: buffer.readerIndex, length: length) ?? ByteBuffer()
                #expect(throws: LDAPDecodingError.self) { _ = try LDAPMessage(from: &truncated) }
            }
        }
    }
}

// Fuzz target for the LDAP wire codec: framing, LDAPMessage decoding, controls and extended-operation values.
//
// Properties checked (a violation traps, and libFuzzer keeps the input):
// - no input crashes, hangs or allocates without bound (the sanitizers and libFuzzer's limits watch this);
// - a decoded value re-encodes to bytes that decode again to an equal value, consuming them exactly,
//   and re-encoding that value gives the same bytes (the encoding is stable);
// - the frame decoder yields the same messages whether the bytes arrive at once or in pieces.

import CLibFuzzer
import LDAPProtocol
import NIOCore

@main
enum FuzzerMain {
    static func main() {
        annuaire_run_fuzzer(CommandLine.argc, CommandLine.unsafeArgv)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = ByteBuffer(bytes: UnsafeBufferPointer(start: start, count: count))
    fuzzStream(input)
    fuzzRawValues(input)
    return 0
}

/// Largest PDU the harness's decoders accept; libFuzzer inputs are capped below this by `-max_len`.
private let maximumMessageSize = 256 * 1024

/// Decodes `input` as a stream of PDUs three ways and checks every message.
private func fuzzStream(_ input: ByteBuffer) {
    // 1. `nextFrame` over the whole buffer, then `LDAPMessage(from:)` on each frame, as the decoder does.
    var stream = input
    var framed: [LDAPMessage] = []
    while let frame = try? LDAPMessageDecoder.nextFrame(in: &stream, maximumMessageSize: maximumMessageSize) {
        var content = frame
        guard let message = try? LDAPMessage(from: &content) else { break }
        guard content.readableBytes == 0 else {
            fail("LDAPMessage(from:) left \(content.readableBytes) bytes of its frame", frame)
        }
        check(message)
        framed.append(message)
    }

    // 2. The whole input as a single LDAPMessage, without framing (trailing bytes are left alone).
    var whole = input
    if let message = try? LDAPMessage(from: &whole), message != framed.first {
        check(message)
    }

    // 3. The NIO decoder fed in pieces must give the messages framing gave. At most 32 pieces keep a run
    // fast; as the fuzzer varies the input's length, the cuts fall everywhere.
    let chunkSize = max(1, (input.readableBytes + 31) / 32)
    let inPieces = decodeWithDecoder(input, chunkSize: chunkSize)
    guard inPieces.messages == framed else {
        fail(
            "LDAPMessageDecoder fed \(chunkSize) bytes at a time gave \(inPieces.messages.count) messages "
                + "(failed: \(inPieces.failed)), framing the whole input gave \(framed.count)",
            input
        )
    }
}

/// Feeds `input` to an `LDAPMessageDecoder` `chunkSize` bytes at a time, until it throws or runs out of bytes.
private func decodeWithDecoder(_ input: ByteBuffer, chunkSize: Int) -> (messages: [LDAPMessage], failed: Bool) {
    var decoder = LDAPMessageDecoder(maximumMessageSize: maximumMessageSize)
    var pending = input
    var accumulated = ByteBuffer()
    var messages: [LDAPMessage] = []
    do {
        while pending.readableBytes > 0 {
            var chunk = pending.readSlice(length: min(chunkSize, pending.readableBytes))!
            accumulated.writeBuffer(&chunk)
            while let message = try decoder.decode(buffer: &accumulated) {
                messages.append(message)
            }
            accumulated.discardReadBytes()
        }
        while let message = try decoder.decodeLast(buffer: &accumulated, seenEOF: true) {
            messages.append(message)
        }
    } catch {
        return (messages, true)
    }
    return (messages, false)
}

/// Round-trips a decoded message and every control and extended-operation value it carries.
private func check(_ message: LDAPMessage) {
    var encoded = ByteBuffer()
    message.write(into: &encoded)
    var reader = encoded
    let again: LDAPMessage
    do {
        again = try LDAPMessage(from: &reader)
    } catch {
        fail("re-encoded \(message.protocolOp.name) does not decode: \(error)", encoded)
    }
    guard reader.readableBytes == 0 else { fail("re-encoded message not fully consumed", encoded) }
    guard again == message else {
        fail("round trip changed the \(message.protocolOp.name):\n  \(message)\n  \(again)", encoded)
    }
    var reencoded = ByteBuffer()
    again.write(into: &reencoded)
    guard reencoded == encoded else { fail("encoding of \(message.protocolOp.name) is not stable", encoded) }

    // Every framing of the encoding must also work.
    var framing = encoded
    guard let frame = try? LDAPMessageDecoder.nextFrame(in: &framing, maximumMessageSize: Int.max),
        frame == encoded, framing.readableBytes == 0
    else {
        fail("nextFrame does not split the re-encoded message exactly", encoded)
    }

    for control in message.controls {
        checkControlValue(control.value)
        checkReadEntry(control)
    }
    switch message.protocolOp {
    case .extendedRequest(let request):
        checkExtendedValue(request.value)
    case .extendedResponse(let response):
        checkExtendedValue(response.value)
    case .intermediateResponse(let response):
        checkExtendedValue(response.value)
    default:
        break
    }
}

/// Decodes `value` with every control value type, whatever the control's OID, and round-trips what decodes.
private func checkControlValue(_ value: ByteBuffer?) {
    if let control = try? AssertionControl(controlValue: value) {
        roundTrip(control, control.control().value) { try AssertionControl(controlValue: $0) }
    }
    if let control = try? PagedResultsControl(controlValue: value) {
        roundTrip(control, control.control().value) { try PagedResultsControl(controlValue: $0) }
    }
    if let response = try? PasswordPolicyResponse(controlValue: value) {
        roundTrip(response, response.control().value) { try PasswordPolicyResponse(controlValue: $0) }
    }
    for kind in [ReadEntryControl.Kind.preRead, .postRead] {
        let control = LDAPControl(kind.rawValue, value: value)
        checkReadEntry(control)
    }
}

/// Decodes a pre-/post-read control both as a request and as a response.
private func checkReadEntry(_ control: LDAPControl) {
    if let request = try? ReadEntryControl(request: control) {
        let encoded = request.requestControl(criticality: control.criticality)
        guard let again = try? ReadEntryControl(request: encoded), again == request else {
            fail("ReadEntryControl request does not round-trip: \(request)", encoded.value ?? ByteBuffer())
        }
    }
    guard let kind = ReadEntryControl.Kind(rawValue: control.oid) else { return }
    if let entry = try? ReadEntryControl.entry(fromResponse: control) {
        let encoded = ReadEntryControl.responseControl(kind: kind, entry: entry)
        guard let again = try? ReadEntryControl.entry(fromResponse: encoded), again == entry else {
            fail("ReadEntryControl response does not round-trip: \(entry)", encoded.value ?? ByteBuffer())
        }
    }
}

/// Decodes `value` with every extended-operation value type and round-trips what decodes.
private func checkExtendedValue(_ value: ByteBuffer?) {
    if let request = try? PasswordModifyRequest(requestValue: value) {
        roundTrip(request, request.request.value) { try PasswordModifyRequest(requestValue: $0) }
    }
    if let response = try? PasswordModifyResponse(responseValue: value) {
        roundTrip(response, response.response().value) { try PasswordModifyResponse(responseValue: $0) }
    }
}

/// The raw input as a lone filter, control value and extended value, so the fuzzer reaches them directly.
private func fuzzRawValues(_ input: ByteBuffer) {
    var reader = input
    if let filter = try? Filter(from: &reader) {
        var encoded = ByteBuffer()
        filter.write(into: &encoded)
        var again = encoded
        guard let decoded = try? Filter(from: &again), decoded == filter, again.readableBytes == 0 else {
            fail("Filter does not round-trip: \(filter)", encoded)
        }
    }
    checkControlValue(input)
    checkExtendedValue(input)
}

/// Requires `encoded` (the encoding of `value`) to decode to `value` again.
private func roundTrip<Value: Equatable>(
    _ value: Value,
    _ encoded: ByteBuffer?,
    file: StaticString = #file,
    line: UInt = #line,
    _ decode: (ByteBuffer?) throws -> Value
) {
    let again: Value
    do {
        again = try decode(encoded)
    } catch {
        fail("\(Value.self) re-encoding does not decode: \(error)", encoded ?? ByteBuffer(), file: file, line: line)
    }
    guard again == value else {
        fail("\(Value.self) round trip changed the value:\n  \(value)\n  \(again)", encoded ?? ByteBuffer(),
             file: file, line: line)
    }
}

/// Traps with a message and the bytes involved, so the libFuzzer log says what broke.
private func fail(_ message: String, _ bytes: ByteBuffer, file: StaticString = #file, line: UInt = #line) -> Never {
    let hex = bytes.readableBytesView.map { byte in
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }.joined()
    fatalError("FuzzLDAPMessage: \(message)\n  bytes: \(hex)", file: file, line: line)
}

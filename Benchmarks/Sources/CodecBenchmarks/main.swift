// Codec benchmarks for LDAPProtocol's hand-written BER codec, with apple/swift-asn1 for comparison.
//
// Each workload warms up, counts its allocations exactly in a pass of its own (CMallocCounter
// interposes malloc & co.), then runs 5 times for at least 1 s each; the median ns/op is reported.
// Build and run in release: `cd Benchmarks && swift run -c release CodecBenchmarks [--quick] [--filter NAME]`.
import CMallocCounter
import LDAPProtocol
import NIOCore
import SwiftASN1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let settings = BenchmarkSettings(arguments: CommandLine.arguments)

// MARK: - Self-checks: the counter counts, and both codecs handle the same bytes.

final class Probe {
    var value = 0
}
nonisolated(unsafe) var probeSink: AnyObject?
nonisolated(unsafe) var arraySink: [UInt8] = []

func check(_ condition: Bool, _ message: String) {
    print("check: \(message): \(condition ? "ok" : "FAILED")")
    if !condition { exit(1) }
}

func countAllocations(_ body: () -> Void) -> UInt64 {
    cmalloc_counter_reset()
    cmalloc_counter_set_enabled(1)
    body()
    cmalloc_counter_set_enabled(0)
    return cmalloc_counter_allocations()
}

#if canImport(Glibc)
    check(countAllocations { probeSink = Probe() } == 1, "malloc counter sees 1 allocation for a class instance")
    check(
        countAllocations { arraySink = [UInt8](repeating: 7, count: 100) } == 1,
        "malloc counter sees 1 allocation for an array")
    check(countAllocations { blackHole(1 + 1) } == 0, "malloc counter sees 0 allocations for arithmetic")
#endif

let requestBytes = Fixtures.encode(Fixtures.searchRequest)
let requestArray = Array(requestBytes.readableBytesView)
let entryBytes = Fixtures.encode(Fixtures.searchResultEntry)
let entryArray = Array(entryBytes.readableBytesView)

do {
    var input = requestBytes
    let decoded = try LDAPMessage(from: &input)
    check(
        decoded == Fixtures.searchRequest && input.readableBytes == 0,
        "SearchRequest round-trips (\(requestBytes.readableBytes) bytes)")

    // Every decoded value must point into the received buffer: slices, not copies.
    guard case .searchRequest(let request) = decoded.protocolOp, case .and(let terms) = request.filter else {
        fatalError("unexpected decoded shape")
    }
    var values = [request.baseObject] + request.attributes
    for term in terms {
        if case .equalityMatch(let assertion) = term {
            values += [assertion.attributeDescription, assertion.assertionValue]
        }
    }
    let inputRange = requestBytes.withUnsafeReadableBytes { bytes in
        UInt(bitPattern: bytes.baseAddress!)..<UInt(bitPattern: bytes.baseAddress! + bytes.count)
    }
    let slices = values.filter { value in
        value.withUnsafeReadableBytes { inputRange.contains(UInt(bitPattern: $0.baseAddress!)) }
    }
    check(
        slices.count == values.count && values.count == 10,
        "all \(values.count) decoded values are slices of the input buffer")

    var entryInput = entryBytes
    check(
        try LDAPMessage(from: &entryInput) == Fixtures.searchResultEntry,
        "SearchResultEntry round-trips (\(entryBytes.readableBytes) bytes)")
    check(
        Fixtures.encode(Fixtures.searchResultEntryFromSlices) == entryBytes,
        "entry built from slices of one storage buffer encodes to the same bytes"
    )

    let asn1Request = try ASN1SearchRequestMessage(berEncoded: requestArray[...])
    check(
        asn1Request.messageID == 2 && Array(asn1Request.baseObject.bytes) == Array(Fixtures.baseDN.utf8)
            && asn1Request.attributes.map { Array($0.bytes) } == Fixtures.requestedAttributes.map { Array($0.utf8) }
            && asn1Request.scope == 2 && !asn1Request.typesOnly,
        "swift-asn1 decodes the same SearchRequest bytes to the same fields"
    )
    if case .and(let asn1Terms) = asn1Request.filter {
        let pairs = asn1Terms.compactMap { term -> (String, String)? in
            guard case .equalityMatch(let attribute, let value) = term else { return nil }
            return (String(decoding: attribute.bytes, as: UTF8.self), String(decoding: value.bytes, as: UTF8.self))
        }
        check(pairs.elementsEqual(Fixtures.filterTerms, by: ==), "swift-asn1 decodes the same filter")
    } else {
        check(false, "swift-asn1 decodes the same filter")
    }
} catch {
    print("check failed: \(error)")
    exit(1)
}

// What each codec accepts besides minimal definite lengths (the decision record cites these lines).
do {
    // The outer SEQUENCE of the request rewritten with the indefinite form (0x80 ... 00 00), which
    // RFC 4511 §5.1 forbids, and with the 5-octet long form (0x84 + 4 octets) that OpenLDAP's liblber
    // writes, which BER allows.
    let content = Array(requestArray.dropFirst(3))  // 0x30 0x81 0x9B, then the content
    precondition(requestArray[0] == 0x30 && requestArray[1] == 0x81 && Int(requestArray[2]) == content.count)
    let indefinite = [0x30, 0x80] + content + [0x00, 0x00]
    let longForm = [0x30, 0x84, 0x00, 0x00, 0x00, UInt8(content.count)] + content
    func ours(_ bytes: [UInt8]) -> String {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            _ = try LDAPMessage(from: &buffer)
            return "accepted"
        } catch {
            return "rejected (\(error))"
        }
    }
    func asn1(_ bytes: [UInt8]) -> String {
        do {
            _ = try ASN1SearchRequestMessage(berEncoded: bytes[...])
            return "accepted"
        } catch {
            return "rejected (\(error))"
        }
    }
    print(
        "info: indefinite-length SearchRequest: LDAPProtocol \(ours(indefinite)); "
            + "swift-asn1 BER.parse \(asn1(indefinite))"
    )
    print("info: 0x84 long-form SearchRequest: LDAPProtocol \(ours(longForm)); swift-asn1 BER.parse \(asn1(longForm))")
}

let asn1Entry = ASN1SearchResultEntryMessage(
    messageID: 2,
    objectName: Array(Fixtures.entryDN.utf8),
    attributes: Fixtures.personAttributes.map { (type: Array($0.0.utf8), values: $0.1.map { Array($0.utf8) }) }
)
do {
    var serializer = DER.Serializer()
    try asn1Entry.serialize(into: &serializer)
    check(
        serializer.serializedBytes == entryArray,
        "swift-asn1's DER.Serializer writes byte-identical SearchResultEntry bytes")
    let decoded = try ASN1SearchResultEntryMessage(berEncoded: entryArray[...])
    check(
        decoded.attributes.count == 15 && decoded.attributes.map { $0.values.count }.reduce(0, +) == 18,
        "swift-asn1 decodes the SearchResultEntry (15 types, 18 values)"
    )
} catch {
    print("check failed: \(error)")
    exit(1)
}

// MARK: - Workloads

var runner = BenchmarkRunner(settings: settings)
var outbound = ByteBuffer()
outbound.reserveCapacity(8192)

print("")
print("machine: \(machineSummary()); load average (1, 5, 15 min) at start: \(loadAverage())")
print(
    "Running: warm-up, an allocation-count pass of \(settings.allocationIterations) iterations, then "
        + "\(settings.runs) runs of >= \(settings.minimumRunSeconds) s each (median reported).")

// Our codec.
try runner.measure(
    "ldap.decode.searchRequest",
    "LDAPMessage(from:) of the 3-term SearchRequest; values stay slices",
    bytes: requestBytes.readableBytes
) { iterations in
    for _ in 0..<iterations {
        var input = requestBytes
        blackHole(try LDAPMessage(from: &input))
    }
}

runner.measure(
    "ldap.encode.searchResultEntry",
    "message.write(into:) of the 15-attribute entry into a cleared, reused outbound buffer",
    bytes: entryBytes.readableBytes
) { iterations in
    let message = Fixtures.searchResultEntry
    for _ in 0..<iterations {
        outbound.clear()
        message.write(into: &outbound)
    }
    blackHole(outbound)
}

runner.measure(
    "ldap.encode.searchResultEntry.slices",
    "the same, with DN, types and values slices of one storage buffer",
    bytes: entryBytes.readableBytes
) { iterations in
    let message = Fixtures.searchResultEntryFromSlices
    for _ in 0..<iterations {
        outbound.clear()
        message.write(into: &outbound)
    }
    blackHole(outbound)
}

try runner.measure(
    "ldap.decode.searchResultEntry",
    "LDAPMessage(from:) of the 15-attribute entry",
    bytes: entryBytes.readableBytes
) { iterations in
    for _ in 0..<iterations {
        var input = entryBytes
        blackHole(try LDAPMessage(from: &input))
    }
}

runner.measure(
    "ldap.encode.searchRequest",
    "message.write(into:) of the SearchRequest into a cleared, reused outbound buffer",
    bytes: requestBytes.readableBytes
) { iterations in
    let message = Fixtures.searchRequest
    for _ in 0..<iterations {
        outbound.clear()
        message.write(into: &outbound)
    }
    blackHole(outbound)
}

// swift-asn1.
try runner.measure(
    "asn1.decode.searchRequest",
    "BER.parse + typed walk of the same bytes, already in a [UInt8]",
    bytes: requestArray.count
) { iterations in
    for _ in 0..<iterations {
        blackHole(try ASN1SearchRequestMessage(berEncoded: requestArray[...]))
    }
}

try runner.measure(
    "asn1.decode.searchRequest.fromByteBuffer",
    "the same, copying the received ByteBuffer into a [UInt8] first (what a NIO server must do)",
    bytes: requestArray.count
) { iterations in
    for _ in 0..<iterations {
        let bytes = Array(requestBytes.readableBytesView)
        blackHole(try ASN1SearchRequestMessage(berEncoded: bytes[...]))
    }
}

try runner.measure(
    "asn1.encode.searchResultEntry",
    "DER.Serializer of the same entry (values as [UInt8]) to serializedBytes",
    bytes: entryArray.count
) { iterations in
    for _ in 0..<iterations {
        var serializer = DER.Serializer()
        try asn1Entry.serialize(into: &serializer)
        blackHole(serializer.serializedBytes)
    }
}

try runner.measure(
    "asn1.encode.searchResultEntry.intoByteBuffer",
    "the same, then copied into the cleared, reused outbound ByteBuffer",
    bytes: entryArray.count
) { iterations in
    for _ in 0..<iterations {
        var serializer = DER.Serializer()
        try asn1Entry.serialize(into: &serializer)
        outbound.clear()
        outbound.writeBytes(serializer.serializedBytes)
    }
    blackHole(outbound)
}

try runner.measure(
    "asn1.decode.searchResultEntry",
    "BER.parse + typed walk of the entry bytes, already in a [UInt8]",
    bytes: entryArray.count
) { iterations in
    for _ in 0..<iterations {
        blackHole(try ASN1SearchResultEntryMessage(berEncoded: entryArray[...]))
    }
}

// Prototype for the recommended change to the BER reader (see Prototypes.swift): header cost alone.
do {
    var a = requestBytes
    var b = requestBytes
    let elements = try TLVWalk.current(&a)
    check(elements == (try TLVWalk.prototype(&b)), "prototype reader walks the same \(elements) elements")
}

try runner.measure(
    "proto.walk.searchRequest.current",
    "walk all elements of the SearchRequest with readBERElement() (2-5 storage accesses per header)",
    bytes: requestBytes.readableBytes
) { iterations in
    for _ in 0..<iterations {
        var input = requestBytes
        blackHole(try TLVWalk.current(&input))
    }
}

try runner.measure(
    "proto.walk.searchRequest.oneAccess",
    "the same walk, each header read in one withUnsafeReadableBytes (prototype)",
    bytes: requestBytes.readableBytes
) { iterations in
    for _ in 0..<iterations {
        var input = requestBytes
        blackHole(try TLVWalk.prototype(&input))
    }
}

runner.measure(
    "proto.arrays.appendFromEmpty",
    "[Filter] and [ByteBuffer] of 3 elements each, appended from empty (as Filter.init and SearchRequest.init do)",
    bytes: 0
) { iterations in
    for _ in 0..<iterations { blackHole(ArrayBuilding.grown(count: 3)) }
}

runner.measure(
    "proto.arrays.reserved",
    "the same arrays after reserveCapacity(3) (element count known from a header-only pre-scan)",
    bytes: 0
) { iterations in
    for _ in 0..<iterations { blackHole(ArrayBuilding.reserved(count: 3)) }
}

// MARK: - Report

print("")
print("load average (1, 5, 15 min) at end: \(loadAverage()); figures taken under load (above ~1 on 2 cores) are slow")
print("")
printTable(runner.results)
print("")
for result in runner.results {
    print("  \(pad(result.name, 46)) \(result.summary)")
}

let results = runner.results
func result(_ name: String) -> BenchmarkResult? {
    results.first { $0.name == name }
}
print("")
if let decode = result("ldap.decode.searchRequest") {
    let met = decode.nanosecondsPerOperation < 1_500
    print(
        "TARGET decode SearchRequest < 1500 ns: \(met ? "met" : "MISSED") "
            + "(\(format(decode.nanosecondsPerOperation, decimals: 1)) ns, "
            + "\(format(decode.allocationsPerOperation, decimals: 2)) allocations/op, values are slices)"
    )
}
if let encode = result("ldap.encode.searchResultEntry"), let sliced = result("ldap.encode.searchResultEntry.slices") {
    let met = encode.allocationsPerOperation == 0 && sliced.allocationsPerOperation == 0
    print(
        "TARGET encode SearchResultEntry straight into the outbound buffer, no intermediate copies: "
            + "\(met ? "met" : "MISSED") (\(format(encode.allocationsPerOperation, decimals: 2)) and "
            + "\(format(sliced.allocationsPerOperation, decimals: 2)) allocations/op)"
    )
}
for (ours, theirs) in [
    ("ldap.decode.searchRequest", "asn1.decode.searchRequest"),
    ("ldap.encode.searchResultEntry", "asn1.encode.searchResultEntry.intoByteBuffer"),
] {
    if let ours = result(ours), let theirs = result(theirs) {
        print(
            "RATIO \(theirs.name) / \(ours.name) = "
                + format(theirs.nanosecondsPerOperation / ours.nanosecondsPerOperation, decimals: 2)
        )
    }
}

// Fuzz target for the RFC 4515 filter-string parser and printer.
//
// Properties checked (a violation traps, and libFuzzer keeps the input):
// - no input crashes, hangs, overflows the stack (deep `(!(!(!…` nesting) or allocates without bound;
// - parse → print → parse gives an equal filter, and printing that gives the same text;
// - a parsed filter survives the BER encoding (write → decode) unchanged.

import CLibFuzzer
import LDAPProtocol
import NIOCore

@main
enum FuzzerMain {
    static func main() {
        annuaire_run_fuzzer(CommandLine.argc, CommandLine.unsafeArgv)
    }
}

/// The string parser's default depth limit; a simple item is one level there and depth 0 in BER.
private let maximumDepth = 100

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let text = String(decoding: bytes, as: UTF8.self)
    guard let filter = try? Filter(string: text, maximumDepth: maximumDepth) else { return 0 }

    let printed = filter.stringRepresentation
    let again: Filter
    do {
        again = try Filter(string: printed, maximumDepth: maximumDepth)
    } catch {
        fail("printed filter \(printed.debugDescription) does not parse: \(error)", bytes)
    }
    guard again == filter else {
        fail("parse → print → parse changed the filter: \(printed.debugDescription) reads as \(again)", bytes)
    }
    guard again.stringRepresentation == printed else {
        let reprinted = again.stringRepresentation
        fail("printing is not stable: \(printed.debugDescription) → \(reprinted.debugDescription)", bytes)
    }

    var encoded = ByteBuffer()
    filter.write(into: &encoded)
    var reader = encoded
    do {
        let decoded = try Filter(from: &reader, maximumDepth: maximumDepth)
        guard decoded == filter, reader.readableBytes == 0 else {
            fail("BER round trip changed the filter \(printed.debugDescription)", bytes)
        }
    } catch {
        fail("BER encoding of \(printed.debugDescription) does not decode: \(error)", bytes)
    }
    return 0
}

/// Traps with a message and the input in hex, so the libFuzzer log says what broke.
private func fail(_ message: String, _ bytes: UnsafeBufferPointer<UInt8>, line: UInt = #line) -> Never {
    let hex = bytes.map { byte in
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }.joined()
    fatalError("FuzzFilterString: \(message)\n  input: \(hex)", line: line)
}

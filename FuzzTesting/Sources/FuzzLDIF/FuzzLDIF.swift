// Fuzz target for the LDIF (RFC 2849) reader and writer.
//
// Properties checked (a violation traps, and libFuzzer keeps the input):
// - no input crashes, hangs or allocates without bound, and the reader always comes to an end;
// - where the chunks of the byte source end does not change what is read;
// - every record read, written by LDIFWriter (folded or not, LF or CRLF), reads back as the same record.
//
// `:<` file URLs are never resolved here: a fuzzer must not read the machine's files.

import CLibFuzzer
import LDAPProtocol

@main
enum FuzzerMain {
    static func main() {
        annuaire_run_fuzzer(CommandLine.argc, CommandLine.unsafeArgv)
    }
}

private let options = LDIFReader.Options(
    maximumRecordSize: 1 << 20,
    maximumLineLength: 1 << 20,
    allowsMixedRecords: true,
    resolvesFileURLs: false
)

/// Smaller limits and the other choices, so the error paths for long lines and mixed records are reached too.
private let strictOptions = LDIFReader.Options(
    maximumRecordSize: 512,
    maximumLineLength: 80,
    allowsMixedRecords: false,
    resolvesFileURLs: false,
    validatesDistinguishedNames: false
)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))

    let whole = readAll(LDIFReader(bytes: bytes, options: options), bytes)
    let chunkSize = 1 + count % 7
    let inChunks = readAll(
        LDIFReader(source: LDIFMemorySource(bytes, chunkSize: chunkSize), options: options),
        bytes
    )
    guard whole == inChunks else {
        fail("reading in chunks of \(chunkSize) bytes gives other results:\n  \(whole)\n  \(inChunks)", bytes)
    }
    _ = readAll(LDIFReader(source: LDIFMemorySource(bytes, chunkSize: 5), options: strictOptions), bytes)

    let writerOptions = LDIFWriter.Options(
        foldingColumn: [76, 0, 1, 3][count % 4],
        writesVersion: count % 2 == 0,
        lineEnding: count % 3 == 0 ? .crlf : .lf
    )
    for case .success(let record) in whole {
        var writer = LDIFWriter(options: writerOptions)
        var written: [UInt8] = []
        writer.write(record, into: &written)
        let readBack = readAll(LDIFReader(bytes: written, options: options), written)
        guard readBack == [.success(record)] else {
            fail(
                "record does not survive write → read:\n  \(record)\n  written: "
                    + "\(String(decoding: written, as: UTF8.self).debugDescription)\n  read: \(readBack)",
                bytes
            )
        }
    }
    return 0
}

/// Every result of `reader` until it returns nil; it goes on after a record's error, as documented.
private func readAll(_ reader: LDIFReader, _ input: [UInt8]) -> [Result<LDIFRecord, LDIFError>] {
    var reader = reader
    var results: [Result<LDIFRecord, LDIFError>] = []
    // Each result takes at least one line, so more results than bytes means the reader does not end.
    while results.count <= input.count + 1 {
        do {
            guard let record = try reader.next() else { return results }
            results.append(.success(record))
        } catch {
            results.append(.failure(error))
        }
    }
    fail("the reader returned more results than the input has bytes", input)
}

/// Traps with a message and the input in hex, so the libFuzzer log says what broke.
private func fail(_ message: String, _ bytes: [UInt8], line: UInt = #line) -> Never {
    let hex = bytes.map { byte in
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }.joined()
    fatalError("FuzzLDIF: \(message)\n  input: \(hex)", line: line)
}

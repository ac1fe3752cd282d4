// Fuzz target for the RFC 4514 DN parser, printer and normaliser.
//
// Properties checked (a violation traps, and libFuzzer keeps the input):
// - no input crashes, hangs or allocates without bound;
// - parse → print → parse gives an equal DN, and printing that gives the same text;
// - normalising is idempotent and its result also survives print → parse;
// - a parent's index key is a prefix of its child's.

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
    let bytes = UnsafeBufferPointer(start: start, count: count)

    // The LDAPDN of a request: bytes that must be UTF-8.
    if let dn = try? DistinguishedName(utf8: bytes) {
        check(dn, input: bytes)
        let viaBuffer = try? DistinguishedName(utf8: ByteBuffer(bytes: bytes))
        guard viaBuffer == dn else { fail("DistinguishedName(utf8: ByteBuffer) differs from the bytes' parse", bytes) }
    }
    // A DN typed in configuration or LDIF: a Swift string (invalid UTF-8 repaired to U+FFFD).
    let text = String(decoding: bytes, as: UTF8.self)
    if let dn = try? DistinguishedName(text) {
        check(dn, input: bytes)
    }
    return 0
}

private func check(_ dn: DistinguishedName, input: UnsafeBufferPointer<UInt8>) {
    let printed = dn.utf8Bytes
    let again: DistinguishedName
    do {
        again = try DistinguishedName(utf8: printed)
    } catch {
        fail("printed DN \(dn.description.debugDescription) does not parse: \(error)", input)
    }
    guard again == dn else {
        fail("parse → print → parse changed the DN: \(dn.description.debugDescription) → \(again)", input)
    }
    guard again.utf8Bytes == printed else { fail("printing the DN is not stable", input) }
    guard (try? DistinguishedName(dn.description)) == dn else {
        fail("DistinguishedName(String) of the description differs", input)
    }

    let normalized = dn.normalized()
    guard normalized.normalized() == normalized else {
        fail("normalising is not idempotent: \(normalized) → \(normalized.normalized())", input)
    }
    guard (try? DistinguishedName(utf8: normalized.utf8Bytes)) == normalized else {
        fail("the normalised DN \(normalized.description.debugDescription) does not survive print → parse", input)
    }
    guard dn.normalizedKey == normalized.indexKey else {
        fail("normalizedKey differs from the normalised indexKey", input)
    }

    if let parent = dn.parent() {
        guard dn.isChild(of: parent), dn.isDescendant(of: parent), dn.indexKey.starts(with: parent.indexKey) else {
            fail("the DN is not below its parent \(parent)", input)
        }
        guard parent.child(dn.rdn!) == dn else { fail("parent.child(rdn) is not the DN", input) }
    }
}

/// Traps with a message and the input in hex, so the libFuzzer log says what broke.
private func fail(_ message: String, _ bytes: UnsafeBufferPointer<UInt8>, line: UInt = #line) -> Never {
    let hex = bytes.map { byte in
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }.joined()
    fatalError("FuzzDN: \(message)\n  input: \(hex)", line: line)
}

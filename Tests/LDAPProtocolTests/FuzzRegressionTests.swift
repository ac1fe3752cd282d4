import Foundation
import LDAPProtocol
import NIOCore
import Testing

/// Inputs kept from fuzzing (FuzzTesting/), replayed through the same decoders as the fuzz target that
/// found them. A file `Fixtures/fuzz-regressions/<Target>-<name>.bin` belongs to fuzz target `<Target>`:
/// every one must decode or throw without crashing, and what decodes must survive a round trip.
/// Some cases also pin the error they must raise (see `expectedFailures`).
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/fuzz-regressions")

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".bin") }.sorted()
    }

    static func input(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// What a case must fail with, where the failure itself is the point of the case.
    static let expectedFailures: [String: String] = [
        "FuzzLDAPMessage-deep-not-filter.bin": "nestingTooDeep",
        "FuzzLDAPMessage-deep-not-assertion-control.bin": "nestingTooDeep",
        "FuzzFilterString-deep-not.bin": "tooDeep",
    ]

    @Test("the kept inputs exist and each names its fuzz target")
    func casesArePresent() {
        #expect(!Self.cases.isEmpty)
        for name in Self.cases {
            #expect(
                ["FuzzLDAPMessage-", "FuzzDN-", "FuzzFilterString-", "FuzzLDIF-"].contains { name.hasPrefix($0) },
                "\(name) does not start with a fuzz target's name"
            )
        }
    }

    @Test("each kept input decodes or throws, and what decodes round-trips", arguments: cases)
    func replay(_ name: String) throws {
        let bytes = try Self.input(name)
        let failure: String?
        switch name.prefix(while: { $0 != "-" }) {
        case "FuzzLDAPMessage": failure = Self.replayLDAPMessage(bytes)
        case "FuzzDN": failure = try Self.replayDN(bytes)
        case "FuzzFilterString": failure = try Self.replayFilterString(bytes)
        case "FuzzLDIF": failure = Self.replayLDIF(bytes)
        default:
            Issue.record("unknown fuzz target in \(name)")
            return
        }
        if let expected = Self.expectedFailures[name] {
            #expect(failure?.contains(expected) == true, "\(name) failed with \(failure ?? "nothing")")
        }
    }

    // MARK: - Replays; each returns the first decoding error's description, if any.

    /// As FuzzLDAPMessage: framing, messages, their controls, and the input as a lone filter.
    static func replayLDAPMessage(_ bytes: [UInt8]) -> String? {
        var firstError: String?
        var stream = ByteBuffer(bytes: bytes)
        while true {
            do {
                guard var frame = try LDAPMessageDecoder.nextFrame(in: &stream, maximumMessageSize: 256 * 1024) else {
                    break
                }
                let message = try LDAPMessage(from: &frame)
                #expect(frame.readableBytes == 0)
                var encoded = ByteBuffer()
                message.write(into: &encoded)
                #expect(try LDAPMessage(from: &encoded) == message)
                for control in message.controls {
                    firstError = firstError ?? controlValueError(control)
                }
            } catch {
                firstError = firstError ?? "\(error.kind)"
                break
            }
        }
        var filterInput = ByteBuffer(bytes: bytes)
        do {
            let filter = try Filter(from: &filterInput)
            var encoded = ByteBuffer()
            filter.write(into: &encoded)
            #expect(try Filter(from: &encoded) == filter)
        } catch {
            // Most messages are not filters; only the message's own error is reported.
        }
        return firstError
    }

    /// Decodes a control's value with the type its OID names.
    static func controlValueError(_ control: LDAPControl) -> String? {
        do throws(LDAPDecodingError) {
            switch control.oid {
            case AssertionControl.oid: _ = try AssertionControl(controlValue: control.value)
            case PagedResultsControl.oid: _ = try PagedResultsControl(controlValue: control.value)
            case PasswordPolicyControl.oid where control.value != nil:
                _ = try PasswordPolicyResponse(controlValue: control.value)
            default:
                _ = try ReadEntryControl(request: control)
            }
            return nil
        } catch {
            return "\(error.kind)"
        }
    }

    /// As FuzzDN: parse → print → parse.
    static func replayDN(_ bytes: [UInt8]) throws -> String? {
        do {
            let dn = try DistinguishedName(utf8: bytes)
            #expect(try DistinguishedName(utf8: dn.utf8Bytes) == dn)
            #expect(dn.normalized().normalized() == dn.normalized())
            return nil
        } catch {
            return "\(error.kind)"
        }
    }

    /// As FuzzFilterString: parse → print → parse, then through BER.
    static func replayFilterString(_ bytes: [UInt8]) throws -> String? {
        do {
            let filter = try Filter(string: String(decoding: bytes, as: UTF8.self))
            #expect(try Filter(string: filter.stringRepresentation) == filter)
            var encoded = ByteBuffer()
            filter.write(into: &encoded)
            #expect(try Filter(from: &encoded, maximumDepth: 100) == filter)
            return nil
        } catch let error as FilterSyntaxError {
            return "\(error.kind)"
        }
    }

    /// As FuzzLDIF: read every record (file URLs never resolved), write each back and read it again.
    static func replayLDIF(_ bytes: [UInt8]) -> String? {
        let options = LDIFReader.Options(allowsMixedRecords: true, resolvesFileURLs: false)
        var reader = LDIFReader(bytes: bytes, options: options)
        var firstError: String?
        var results = 0
        while results <= bytes.count + 1 {
            results += 1
            do {
                guard let record = try reader.next() else { return firstError }
                var writer = LDIFWriter()
                var written: [UInt8] = []
                writer.write(record, into: &written)
                var again = LDIFReader(bytes: written, options: options)
                #expect((try? again.readAll()) == [record])
            } catch {
                firstError = firstError ?? "\(error.kind)"
            }
        }
        Issue.record("the LDIF reader did not come to an end")
        return firstError
    }
}

import Foundation
import NIOCore
import NIOTestUtils
import Testing

@testable import LDAPProtocol

/// Interoperability evidence with software Annuaire did not write.
///
/// - PDUs that OpenLDAP's ldap-utils and Python's ldap3 send, captured by `Tests/Interop/capture_clients.py`
///   (kept in `Fixtures/captured/`, and captured again live on every run), decode to the messages the
///   manifest describes and re-encode to the client's exact bytes.
/// - Every message Annuaire encodes is accepted by an independent decoder, pyasn1 with ldap3's RFC 4511
///   definitions (`Tests/Interop/decode_with_pyasn1.py`), and decodes there to the same values.
///
/// Nothing here is skipped: without python3 (with ldap3 and pyasn1) or ldap-utils the tests fail and say
/// that `make test` installs them.
@Suite("Interoperability with real clients and an independent decoder")
struct InteropTests {
    @Test(
        "PDUs captured from ldap-utils and ldap3 decode as the manifest says and re-encode to the same bytes",
        arguments: CapturedFixtures.names)
    func capturedFixture(file: String) throws {
        let directory = try CapturedFixtures.directory()
        let manifest = try CaptureManifest(directory: directory)
        let capture = try #require(manifest.captures.first { $0.file == file }, "\(file) is not in the manifest")
        try verify(capture, in: directory)
    }

    @Test("the captured fixtures cover every request operation and every client")
    func capturedFixturesCoverage() throws {
        let manifest = try CaptureManifest(directory: try CapturedFixtures.directory())
        #expect(CapturedFixtures.names == manifest.captures.map(\.file))
        let operations = Set(manifest.captures.flatMap { $0.messages.map { $0["op"] as? String ?? "?" } })
        #expect(operations == CaptureManifest.requestOperations)
        #expect(Set(manifest.captures.map(\.tool)) == CaptureManifest.tools)
    }

    @Test("ldap-utils and ldap3 run live against a recording responder; their PDUs decode as expected")
    func liveCapture() throws {
        let python = try Python.withLDAP3()
        try requireLDAPUtils()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "annuaire-interop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let run = try runProcess(
            python, [Interop.script("capture_clients.py").path, "--out", output.path], timeout: 300)
        try #require(
            run.status == 0,
            """
            capture_clients.py failed (exit \(run.status)); `make test` installs ldap-utils and ldap3.
            \(run.standardError)
            """)
        let manifest = try CaptureManifest(directory: output)
        #expect(manifest.captures.count == CapturedFixtures.names.count)
        for capture in manifest.captures {
            try verify(capture, in: output)
        }
        // The same client versions that produced the fixtures must still send the same bytes; a different
        // version may legitimately differ (the decoding checks above still apply to it).
        let fixtures = try CapturedFixtures.directory()
        let fixtureManifest = try CaptureManifest(directory: fixtures)
        if manifest.versions == fixtureManifest.versions {
            for capture in manifest.captures {
                let live = try String(contentsOf: output.appendingPathComponent(capture.file), encoding: .utf8)
                let stored = try String(contentsOf: fixtures.appendingPathComponent(capture.file), encoding: .utf8)
                #expect(live == stored, "\(capture.file): live PDUs differ from the fixture")
            }
        }
    }

    @Test("pyasn1 with ldap3's RFC 4511 definitions decodes every message Annuaire encodes, to the same values")
    func pyasn1DecodesAnnuaireEncoding() throws {
        let python = try Python.withLDAP3()
        let messages = sampleMessages + InteropSamples.messages
        var hex = ""
        for message in messages {
            var buffer = ByteBuffer()
            message.write(into: &buffer)
            hex += buffer.hexString + "\n"
        }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent(
            "annuaire-pyasn1-\(UUID().uuidString).hex")
        try hex.write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }

        let run = try runProcess(python, [Interop.script("decode_with_pyasn1.py").path, input.path], timeout: 120)
        #expect(run.status == 0, "decode_with_pyasn1.py exit \(run.status): \(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n")
        try #require(lines.count == messages.count, "pyasn1 reported \(lines.count) messages for \(messages.count)")
        for (index, (line, message)) in zip(lines, messages).enumerated() {
            let summary = try JSONValue.object(Data(line.utf8))
            if let error = summary["error"] {
                Issue.record("message \(index) (\(message.protocolOp.name)) refused by pyasn1: \(error)")
                continue
            }
            #expect(summary["index"] as? Int == index)
            #expect(summary["op"] as? String == message.protocolOp.name, "message \(index)")
            #expect(summary["messageID"] as? Int == Int(message.messageID), "message \(index)")
            // The whole message as pyasn1 understood it, rebuilt as a Swift value: every DN, filter, attribute,
            // result code and control value must be what Annuaire encoded.
            let decoded = try InteropJSON.message(summary)
            #expect(decoded == message, "message \(index) (\(message.protocolOp.name)): pyasn1 read \(line)")
        }
        // Spot checks in pyasn1's own terms, independent of the JSON conversion above: the first search of
        // sampleMessages, its base DN and its top-level filter.
        let searchIndex = try #require(messages.firstIndex { $0.protocolOp.name == "SearchRequest" })
        guard case .searchRequest(let request) = messages[searchIndex].protocolOp,
            case .and(let clauses) = request.filter
        else {
            Issue.record("the first sample search no longer has an AND filter; update this check")
            return
        }
        let search = try JSONValue.object(Data(lines[searchIndex].utf8))
        #expect(search["asn1Op"] as? String == "searchRequest")
        #expect(search["baseObject"] as? String == String(buffer: request.baseObject))
        let filter = try #require(search["filter"] as? [String: Any])
        #expect((filter["and"] as? [Any])?.count == clauses.count)
    }

    /// Decodes every PDU of one capture, compares it with the manifest, re-encodes it, and runs the
    /// whole stream through the framing decoder split at every byte.
    private func verify(_ capture: CaptureManifest.Capture, in directory: URL) throws {
        let text = try String(contentsOf: directory.appendingPathComponent(capture.file), encoding: .utf8)
        let pdus = text.split(separator: "\n").map { hexBuffer(String($0)) }
        #expect(
            pdus.count == capture.messages.count,
            "\(capture.file): \(pdus.count) PDUs captured, \(capture.messages.count) expected")
        var stream = ByteBuffer()
        var expectedMessages: [LDAPMessage] = []
        var allMatched = pdus.count == capture.messages.count
        for (index, (pdu, description)) in zip(pdus, capture.messages).enumerated() {
            let place = "\(capture.file) PDU \(index) \(pdu.hexString)"
            stream.writeImmutableBuffer(pdu)
            let expected = try InteropJSON.message(description)
            expectedMessages.append(expected)
            var buffer = pdu
            let decoded: LDAPMessage
            do {
                decoded = try LDAPMessage(from: &buffer)
            } catch {
                Issue.record("\(place): Annuaire cannot decode it: \(error)")
                allMatched = false
                continue
            }
            #expect(buffer.readableBytes == 0, "\(place): \(buffer.readableBytes) bytes left over")
            #expect(decoded.protocolOp.name == expected.protocolOp.name, "\(place)")
            #expect(decoded == expected, "\(place): decoded differs from the manifest")
            allMatched = allMatched && decoded == expected
            var encoded = ByteBuffer()
            decoded.write(into: &encoded)
            #expect(encoded == pdu, "\(place): re-encoded differently \(Interop.difference(encoded, pdu))")
        }
        // The whole conversation, as the client streamed it, split at every byte (reported only when each PDU
        // decoded as expected on its own, to keep one failure from being reported twice).
        if allMatched {
            try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(stream, expectedMessages)]) {
                LDAPMessageDecoder()
            }
        }
    }
}

// MARK: - Extra messages for the pyasn1 check

/// Realistic messages beyond `sampleMessages`: long lengths, messageIDs at byte boundaries, binary values,
/// UTF-8 DNs, response controls, and the responses Annuaire will send to the captured clients.
private enum InteropSamples {
    static var messages: [LDAPMessage] {
        var generator = SeededGenerator(seed: 4511)
        let photo = ByteBuffer(bytes: (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let dn = ByteBuffer(string: "cn=Émilie Dupré+uid=edupre,ou=personnes,dc=exemple,dc=fr")
        let filter = Filter.or([
            .not(.not(.equalityMatch(.init("cn", "x")))),
            .substrings(.init(attributeDescription: ByteBuffer(string: "mail"), any: [ByteBuffer(string: "@ex")])),
            .extensibleMatch(
                .init(
                    matchingRule: ByteBuffer(string: "1.2.840.113556.1.4.803"), type: nil,
                    matchValue: ByteBuffer(string: "2"), dnAttributes: true)),
            .equalityMatch(
                .init(
                    attributeDescription: ByteBuffer(string: "objectGUID"),
                    assertionValue: ByteBuffer(bytes: [0x00, 0xFF, 0x10, 0x80]))),
            .and([.present(ByteBuffer(string: "objectClass"))]),
        ])
        var result: [LDAPMessage] = [
            LDAPMessage(
                messageID: 2,
                protocolOp: .searchResultEntry(
                    .init(
                        objectName: dn,
                        attributes: [
                            PartialAttribute(
                                "objectClass", ["top", "person", "organizationalPerson", "inetOrgPerson"]),
                            PartialAttribute("cn", ["Émilie Dupré", "Emilie Dupre"]),
                            PartialAttribute(type: ByteBuffer(string: "jpegPhoto"), values: [photo]),
                            PartialAttribute(
                                type: ByteBuffer(string: "userCertificate;binary"),
                                values: [ByteBuffer(bytes: [0x30, 0x82, 0x01])]),
                        ]))),
            LDAPMessage(
                messageID: 3,
                protocolOp: .searchRequest(
                    .init(
                        baseObject: ByteBuffer(), scope: .baseObject,
                        filter: .present(ByteBuffer(string: "objectClass")),
                        attributes: [ByteBuffer(string: "+"), ByteBuffer(string: "*")]))),
            LDAPMessage(
                messageID: 4,
                protocolOp: .searchRequest(
                    .init(
                        baseObject: dn, scope: .subordinateSubtree,
                        derefAliases: .derefFindingBaseObj, sizeLimit: 128, timeLimit: Int32.max, filter: filter,
                        attributes: [ByteBuffer(string: "1.1")]))),
            LDAPMessage(
                messageID: 5,
                protocolOp: .bindResponse(
                    .init(
                        result: LDAPResult(
                            .invalidCredentials,
                            diagnosticMessage: "account locked"))),
                controls: [PasswordPolicyResponse(error: .accountLocked).control()]),
            LDAPMessage(
                messageID: 6, protocolOp: .bindResponse(.init(result: LDAPResult(.success))),
                controls: [PasswordPolicyResponse(warning: .graceAuthenticationsRemaining(2)).control()]),
            LDAPMessage(
                messageID: 7, protocolOp: .searchResultDone(LDAPResult(.success)),
                controls: [
                    PagedResultsControl(size: 0, cookie: ByteBuffer(bytes: [0x00, 0x01, 0xFE, 0xFF])).control()
                ]),
            LDAPMessage(
                messageID: 8, protocolOp: .modifyResponse(LDAPResult(.success)),
                controls: [
                    ReadEntryControl.responseControl(
                        kind: .preRead,
                        entry: .init(
                            objectName: dn,
                            attributes: [PartialAttribute("cn", ["Emilie Dupre"])])),
                    ReadEntryControl.responseControl(
                        kind: .postRead,
                        entry: .init(
                            objectName: dn,
                            attributes: [PartialAttribute("cn", ["Émilie Dupré"])])),
                ]),
            LDAPMessage(messageID: 9, protocolOp: .modifyResponse(LDAPResult(.assertionFailed))),
            LDAPMessage(
                messageID: 10,
                protocolOp: .compareRequest(
                    .init(
                        entry: dn,
                        assertion: .init(
                            attributeDescription: ByteBuffer(string: "userPassword"),
                            assertionValue: ByteBuffer(bytes: [0x00, 0xFF]))))),
            LDAPMessage(messageID: 10, protocolOp: .compareResponse(LDAPResult(.compareFalse))),
            LDAPMessage(
                messageID: 11,
                protocolOp: .modifyDNRequest(
                    .init(
                        entry: dn, newRDN: ByteBuffer(string: "cn=Émilie"),
                        deleteOldRDN: false, newSuperior: ByteBuffer()))),
            LDAPMessage(
                messageID: 12,
                protocolOp: .extendedResponse(
                    ExtendedResponse(
                        result: LDAPResult(.unavailable, diagnosticMessage: "TLS is not configured"),
                        name: ByteBuffer(string: StartTLS.oid)))),
            LDAPMessage(messageID: 13, protocolOp: .extendedRequest(PasswordModifyRequest().request)),
            LDAPMessage(
                messageID: 14, protocolOp: .extendedRequest(ExtendedRequest(name: ByteBuffer(string: WhoAmI.oid)))),
            LDAPMessage(messageID: 15, protocolOp: .abandonRequest(Int32.max)),
            NoticeOfDisconnection.message(.protocolError, diagnosticMessage: "malformed PDU"),
            LDAPMessage(
                messageID: 16, protocolOp: .unbindRequest, controls: [LDAPControl("1.2.3.4", criticality: true)]),
        ]
        // messageIDs at every encoding-length boundary (a leading zero byte is needed at 128, 32768, ...).
        for id: Int32 in [127, 128, 255, 256, 32767, 32768, 65535, 8_388_608, 2_147_483_646] {
            result.append(LDAPMessage(messageID: id, protocolOp: .delRequest(ByteBuffer(string: "uid=\(id),dc=fr"))))
        }
        return result
    }
}

// MARK: - Captured fixtures and their manifest

private enum CapturedFixtures {
    /// The fixture directory, copied into the test bundle from `Fixtures/captured`.
    static func directory() throws -> URL {
        try #require(
            Bundle.module.url(forResource: "Fixtures/captured", withExtension: nil),
            "Fixtures/captured is missing from the test bundle; regenerate it with Tests/Interop/capture_clients.py")
    }

    /// The capture files listed in the fixture manifest (a placeholder that fails when it cannot be read, so
    /// the parameterized test never passes on zero arguments).
    static let names: [String] = {
        guard let directory = try? directory(), let manifest = try? CaptureManifest(directory: directory),
            !manifest.captures.isEmpty
        else { return ["<Fixtures/captured/manifest.json is missing or empty>"] }
        return manifest.captures.map(\.file)
    }()
}

/// `manifest.json` as written by `capture_clients.py`.
private struct CaptureManifest {
    struct Capture {
        var file: String
        var tool: String
        var command: [String]
        var messages: [[String: Any]]
    }

    static let requestOperations: Set<String> = [
        "BindRequest", "UnbindRequest", "SearchRequest", "ModifyRequest", "AddRequest", "DelRequest",
        "ModifyDNRequest", "CompareRequest", "AbandonRequest", "ExtendedRequest",
    ]
    static let tools: Set<String> = [
        "ldapsearch", "ldapadd", "ldapmodify", "ldapdelete", "ldapmodrdn", "ldapcompare", "ldappasswd", "ldapwhoami",
        "ldapexop", "ldap3",
    ]

    var versions: [String: String]
    var captures: [Capture]

    init(directory: URL) throws {
        let root = try JSONValue.object(Data(contentsOf: directory.appendingPathComponent("manifest.json")))
        versions = root["versions"] as? [String: String] ?? [:]
        let list = try #require(root["captures"] as? [[String: Any]], "manifest.json has no captures")
        captures = try list.map { entry in
            Capture(
                file: try #require(entry["file"] as? String),
                tool: try #require(entry["tool"] as? String),
                command: entry["command"] as? [String] ?? [],
                messages: try #require(entry["messages"] as? [[String: Any]])
            )
        }
    }
}

// MARK: - The JSON form shared with the Python scripts

private struct InteropJSONError: Error, CustomStringConvertible {
    var description: String
}

private enum JSONValue {
    static func object(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InteropJSONError(description: "not a JSON object: \(String(decoding: data, as: UTF8.self))")
        }
        return object
    }
}

/// Builds `LDAPMessage` values from the JSON both scripts write (see their headers): byte strings are
/// UTF-8 strings or `{"hex": ...}`, filters are trees, control and extended values may be structured.
private enum InteropJSON {
    static func message(_ json: [String: Any]) throws -> LDAPMessage {
        let op = try string(json["op"], "op")
        let id = Int32(try int(json["messageID"], "messageID"))
        let controls = try (json["controls"] as? [[String: Any]] ?? []).map { control in
            LDAPControl(
                type: try bytes(control["oid"], "control oid"), criticality: try bool(control["critical"], "critical"),
                value: try control["value"].map { try bytes($0, "control value") })
        }
        let operation: ProtocolOperation
        switch op {
        case "BindRequest":
            let authentication: BindRequest.Authentication
            if let sasl = json["sasl"] as? [String: Any] {
                authentication = .sasl(
                    mechanism: try bytes(sasl["mechanism"], "mechanism"),
                    credentials: try sasl["credentials"].map { try bytes($0, "credentials") })
            } else {
                authentication = .simple(try bytes(json["simple"], "simple"))
            }
            operation = .bindRequest(
                .init(
                    version: try int(json["version"], "version"), name: try bytes(json["name"], "name"),
                    authentication: authentication))
        case "BindResponse":
            operation = .bindResponse(
                .init(
                    result: try result(json),
                    serverSaslCredentials: try json["serverSaslCreds"].map { try bytes($0, "creds") }))
        case "UnbindRequest": operation = .unbindRequest
        case "SearchRequest":
            operation = .searchRequest(
                .init(
                    baseObject: try bytes(json["baseObject"], "baseObject"),
                    scope: try #require(SearchRequest.Scope(rawValue: try int(json["scope"], "scope"))),
                    derefAliases: try #require(
                        SearchRequest.DerefAliases(rawValue: try int(json["derefAliases"], "deref"))),
                    sizeLimit: Int32(try int(json["sizeLimit"], "sizeLimit")),
                    timeLimit: Int32(try int(json["timeLimit"], "timeLimit")),
                    typesOnly: try bool(json["typesOnly"], "typesOnly"),
                    filter: try filter(json["filter"] as Any),
                    attributes: try list(json["attributes"], "attributes").map { try bytes($0, "attribute") }))
        case "SearchResultEntry":
            operation = .searchResultEntry(
                .init(
                    objectName: try bytes(json["objectName"], "objectName"),
                    attributes: try attributes(json["attributes"])))
        case "SearchResultReference":
            operation = .searchResultReference(.init(uris: try list(json["uris"], "uris").map { try bytes($0, "uri") }))
        case "SearchResultDone": operation = .searchResultDone(try result(json))
        case "ModifyRequest":
            let changes = try list(json["changes"], "changes").map { change in
                let parts = try list(change, "change")
                return ModifyRequest.Change(
                    operation: try #require(ModifyRequest.Change.Operation(rawValue: try int(parts[0], "operation"))),
                    modification: PartialAttribute(
                        type: try bytes(parts[1], "type"),
                        values: try list(parts[2], "values").map { try bytes($0, "value") }))
            }
            operation = .modifyRequest(.init(object: try bytes(json["object"], "object"), changes: changes))
        case "ModifyResponse": operation = .modifyResponse(try result(json))
        case "AddRequest":
            operation = .addRequest(
                .init(entry: try bytes(json["entry"], "entry"), attributes: try attributes(json["attributes"])))
        case "AddResponse": operation = .addResponse(try result(json))
        case "DelRequest": operation = .delRequest(try bytes(json["dn"], "dn"))
        case "DelResponse": operation = .delResponse(try result(json))
        case "ModifyDNRequest":
            operation = .modifyDNRequest(
                .init(
                    entry: try bytes(json["entry"], "entry"), newRDN: try bytes(json["newRDN"], "newRDN"),
                    deleteOldRDN: try bool(json["deleteOldRDN"], "deleteOldRDN"),
                    newSuperior: try json["newSuperior"].map { try bytes($0, "newSuperior") }))
        case "ModifyDNResponse": operation = .modifyDNResponse(try result(json))
        case "CompareRequest":
            operation = .compareRequest(
                .init(
                    entry: try bytes(json["entry"], "entry"),
                    assertion: .init(
                        attributeDescription: try bytes(json["attribute"], "attribute"),
                        assertionValue: try bytes(json["value"], "value"))))
        case "CompareResponse": operation = .compareResponse(try result(json))
        case "AbandonRequest": operation = .abandonRequest(Int32(try int(json["id"], "id")))
        case "ExtendedRequest":
            operation = .extendedRequest(
                .init(
                    name: try bytes(json["name"], "name"),
                    value: try json["value"].map { try bytes($0, "value") }))
        case "ExtendedResponse":
            operation = .extendedResponse(
                .init(
                    result: try result(json), name: try json["name"].map { try bytes($0, "name") },
                    value: try json["value"].map { try bytes($0, "value") }))
        case "IntermediateResponse":
            operation = .intermediateResponse(
                .init(
                    name: try json["name"].map { try bytes($0, "name") },
                    value: try json["value"].map { try bytes($0, "value") }))
        default:
            throw InteropJSONError(description: "unknown operation \(op)")
        }
        return LDAPMessage(messageID: id, protocolOp: operation, controls: controls)
    }

    static func filter(_ json: Any) throws -> Filter {
        guard let node = json as? [String: Any], node.count == 1, let (kind, body) = node.first else {
            throw InteropJSONError(description: "not a filter: \(json)")
        }
        func assertion() throws -> AttributeValueAssertion {
            let pair = try list(body, kind)
            return .init(attributeDescription: try bytes(pair[0], kind), assertionValue: try bytes(pair[1], kind))
        }
        switch kind {
        case "and": return .and(try list(body, kind).map(filter))
        case "or": return .or(try list(body, kind).map(filter))
        case "not": return .not(try filter(body))
        case "eq": return .equalityMatch(try assertion())
        case "ge": return .greaterOrEqual(try assertion())
        case "le": return .lessOrEqual(try assertion())
        case "approx": return .approxMatch(try assertion())
        case "present": return .present(try bytes(body, kind))
        case "substrings":
            let parts = try #require(body as? [String: Any])
            return .substrings(
                .init(
                    attributeDescription: try bytes(parts["type"], "type"),
                    initial: try parts["initial"].map { try bytes($0, "initial") },
                    any: try list(parts["any"], "any").map { try bytes($0, "any") },
                    final: try parts["final"].map { try bytes($0, "final") }))
        case "ext":
            let parts = try #require(body as? [String: Any])
            return .extensibleMatch(
                .init(
                    matchingRule: try parts["rule"].map { try bytes($0, "rule") },
                    type: try parts["type"].map { try bytes($0, "type") },
                    matchValue: try bytes(parts["value"], "value"),
                    dnAttributes: try bool(parts["dnAttributes"], "dnAttributes")))
        default:
            throw InteropJSONError(description: "unknown filter choice \(kind)")
        }
    }

    /// A byte string: a JSON string (UTF-8), `{"hex": ...}`, or a structured control or extended value
    /// encoded with Annuaire's own types (then compared with the bytes the client sent).
    static func bytes(_ json: Any?, _ what: String) throws -> ByteBuffer {
        if let text = json as? String { return ByteBuffer(string: text) }
        guard let object = json as? [String: Any], object.count == 1, let (kind, body) = object.first else {
            throw InteropJSONError(description: "\(what): not a byte string: \(String(describing: json))")
        }
        switch kind {
        case "hex":
            return hexBuffer(try string(body, what))
        case "paged":
            let paged = try #require(body as? [String: Any])
            return try #require(
                PagedResultsControl(
                    size: Int32(try int(paged["size"], "size")),
                    cookie: try bytes(paged["cookie"], "cookie")
                ).control().value)
        case "assertion":
            return try #require(AssertionControl(assertion: try filter(body)).control().value)
        case "attributes":
            let attributes = try list(body, what).map { try bytes($0, "attribute") }
            return try #require(ReadEntryControl(kind: .preRead, attributes: attributes).requestControl().value)
        case "passwordModify":
            let fields = try #require(body as? [String: Any])
            return try #require(
                PasswordModifyRequest(
                    userIdentity: try fields["userIdentity"].map { try bytes($0, "userIdentity") },
                    oldPassword: try fields["oldPassword"].map { try bytes($0, "oldPassword") },
                    newPassword: try fields["newPassword"].map { try bytes($0, "newPassword") }
                ).request.value)
        default:
            throw InteropJSONError(description: "\(what): unknown value form \(kind)")
        }
    }

    private static func result(_ json: [String: Any]) throws -> LDAPResult {
        LDAPResult(
            resultCode: ResultCode(rawValue: Int32(try int(json["resultCode"], "resultCode"))),
            matchedDN: try bytes(json["matchedDN"], "matchedDN"),
            diagnosticMessage: try bytes(json["diagnosticMessage"], "diagnosticMessage"),
            referral: try (json["referral"]).map { try list($0, "referral").map { try bytes($0, "uri") } })
    }

    private static func attributes(_ json: Any?) throws -> [PartialAttribute] {
        try list(json, "attributes").map { attribute in
            let pair = try list(attribute, "attribute")
            return PartialAttribute(
                type: try bytes(pair[0], "type"), values: try list(pair[1], "values").map { try bytes($0, "value") })
        }
    }

    private static func list(_ json: Any?, _ what: String) throws -> [Any] {
        guard let array = json as? [Any] else { throw InteropJSONError(description: "\(what): not a list") }
        return array
    }

    private static func string(_ json: Any?, _ what: String) throws -> String {
        guard let text = json as? String else { throw InteropJSONError(description: "\(what): not a string") }
        return text
    }

    private static func int(_ json: Any?, _ what: String) throws -> Int {
        guard let number = json as? NSNumber else { throw InteropJSONError(description: "\(what): not a number") }
        return number.intValue
    }

    private static func bool(_ json: Any?, _ what: String) throws -> Bool {
        guard let flag = json as? Bool else { throw InteropJSONError(description: "\(what): not a boolean") }
        return flag
    }
}

// MARK: - Running the Python scripts and the clients

private enum Interop {
    /// `Tests/Interop/NAME`, found from this source file.
    static func script(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Interop").appendingPathComponent(name)
    }

    /// Where two encodings first differ, for failure messages.
    static func difference(_ mine: ByteBuffer, _ theirs: ByteBuffer) -> String {
        let a = Array(mine.readableBytesView), b = Array(theirs.readableBytesView)
        let offset = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        return "at byte \(offset): Annuaire \(mine.hexString), client \(theirs.hexString)"
    }
}

private enum Python {
    /// The first python3 (on PATH, then /usr/bin/python3) that imports ldap3 and pyasn1.
    static func withLDAP3() throws -> URL {
        var tried: [String] = []
        for candidate in executables(named: "python3") + [URL(fileURLWithPath: "/usr/bin/python3")] {
            guard !tried.contains(candidate.path), FileManager.default.isExecutableFile(atPath: candidate.path) else {
                continue
            }
            tried.append(candidate.path)
            if let run = try? runProcess(candidate, ["-c", "import ldap3, pyasn1"], timeout: 60), run.status == 0 {
                return candidate
            }
        }
        let candidates = tried.isEmpty ? "none found" : tried.joined(separator: ", ")
        throw InteropJSONError(
            description: """
                No python3 with ldap3 and pyasn1 (tried \(candidates)). \
                `make test` installs them (pip install ldap3 pyasn1).
                """)
    }
}

private func executables(named name: String) -> [URL] {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
        .filter { FileManager.default.isExecutableFile(atPath: $0.path) }
}

private func requireLDAPUtils() throws {
    let tools = [
        "ldapsearch", "ldapadd", "ldapmodify", "ldapdelete", "ldapmodrdn", "ldapcompare", "ldappasswd",
        "ldapwhoami", "ldapexop",
    ]
    let missing = tools.filter { executables(named: $0).isEmpty }
    try #require(
        missing.isEmpty,
        """
        OpenLDAP's client tools are missing (\(missing.joined(separator: ", "))). \
        `make test` installs them (apt-get install ldap-utils).
        """)
}

private struct ProcessRun {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs a program to completion (killing it after `timeout` seconds), collecting its output through files
/// so that a chatty child cannot block on a full pipe.
private func runProcess(_ executable: URL, _ arguments: [String], timeout: TimeInterval) throws -> ProcessRun {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("annuaire-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    try Data().write(to: outURL)
    try Data().write(to: errURL)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.02)
    }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        throw InteropJSONError(
            description: "\(executable.path) \(arguments.joined(separator: " ")) timed out after \(timeout) s")
    }
    process.waitUntilExit()
    try out.close()
    try err.close()
    return ProcessRun(
        status: process.terminationStatus,
        standardOutput: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
        standardError: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
    )
}

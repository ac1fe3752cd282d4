import Foundation
import LDAPProtocol
import NIOCore
import Testing

// MARK: - Helpers

private let fixtureDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .appendingPathComponent("Fixtures/ldif")

private func fixture(_ name: String) throws -> String {
    try String(contentsOf: fixtureDirectory.appendingPathComponent(name), encoding: .utf8)
}

private func attribute(_ description: String, _ values: String...) -> LDIFAttribute {
    LDIFAttribute(description: description, stringValues: values)
}

private func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// Reads all records of `text`, handing the reader `chunkSize` bytes at a time.
private func records(
    _ text: String,
    chunkSize: Int = 64 * 1024,
    options: LDIFReader.Options = LDIFReader.Options()
) throws(LDIFError) -> [LDIFRecord] {
    var reader = LDIFReader(source: LDIFMemorySource(bytes(text), chunkSize: chunkSize), options: options)
    return try reader.readAll()
}

/// The error reading `text` throws, or `nil` when it reads without error.
private func readError(_ text: String, options: LDIFReader.Options = LDIFReader.Options()) -> LDIFError? {
    do {
        _ = try records(text, options: options)
        return nil
    } catch {
        return error
    }
}

private func crlf(_ text: String) -> String {
    text.replacingOccurrences(of: "\n", with: "\r\n")
}

/// A fresh directory holding the files the `:<` URLs of RFC 2849 examples 4 and 6 point to.
private struct PhotoDirectory {
    let url: URL
    let hjensen: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x0D, 0x0A]
    let fiona: [UInt8] = Array(0...255)

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ldif-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data(hjensen).write(to: url.appendingPathComponent("hjensen.jpg"))
        try Data(fiona).write(to: url.appendingPathComponent("fiona.jpg"))
    }

    /// `text` with the RFC's photo directory replaced by this one.
    func rewrite(_ text: String) -> String {
        text.replacingOccurrences(of: "file:///usr/local/directory/photos/", with: "file://\(url.path)/")
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

// MARK: - RFC 2849 examples

@Suite("LDIF: RFC 2849 examples")
struct LDIFExampleTests {
    @Test("Example 1: two content records with a version line")
    func example1() throws {
        let result = try records(try fixture("rfc2849-example1.ldif"))
        let barbara = LDIFEntry(
            dn: "cn=Barbara Jensen, ou=Product Development, dc=airius, dc=com",
            attributes: [
                attribute("objectclass", "top", "person", "organizationalPerson"),
                attribute("cn", "Barbara Jensen", "Barbara J Jensen", "Babs Jensen"),
                attribute("sn", "Jensen"),
                attribute("uid", "bjensen"),
                attribute("telephonenumber", "+1 408 555 1212"),
                attribute("description", "A big sailing fan."),
            ]
        )
        let bjorn = LDIFEntry(
            dn: "cn=Bjorn Jensen, ou=Accounting, dc=airius, dc=com",
            attributes: [
                attribute("objectclass", "top", "person", "organizationalPerson"),
                attribute("cn", "Bjorn Jensen"),
                attribute("sn", "Jensen"),
                attribute("telephonenumber", "+1 408 555 1212"),
            ]
        )
        #expect(result == [.content(barbara), .content(bjorn)])
    }

    @Test("Example 2: a folded value and no space after the colon")
    func example2() throws {
        let result = try records(try fixture("rfc2849-example2.ldif"))
        try #require(result.count == 1)
        guard case .content(let entry) = result[0] else {
            Issue.record("expected a content record")
            return
        }
        #expect(entry.dn == "cn=Barbara Jensen, ou=Product Development, dc=airius, dc=com")
        #expect(
            entry["description"]?.values == [
                bytes("Babs is a big sailing fan, and travels extensively in search of perfect sailing conditions.")
            ]
        )
        #expect(entry["title"]?.values == [bytes("Product Manager, Rod and Reel Division")])
        #expect(entry["objectclass"]?.values.count == 3)
    }

    @Test("Example 3: a folded base64 value holding a CR")
    func example3() throws {
        let result = try records(try fixture("rfc2849-example3.ldif"))
        try #require(result.count == 1)
        guard case .content(let entry) = result[0] else {
            Issue.record("expected a content record")
            return
        }
        let expected =
            "What a careful reader you are!  This value is base-64-encoded because it has a control "
            + "character in it (a CR).\r  By the way, you should really get out more."
        #expect(entry["description"]?.values == [bytes(expected)])
        #expect(entry["uid"]?.values == [bytes("gernj")])
    }

    @Test("Example 4: a file URL value is loaded")
    func example4() throws {
        let photos = try PhotoDirectory()
        defer { photos.remove() }
        let result = try records(photos.rewrite(try fixture("rfc2849-example4.ldif")))
        try #require(result.count == 1)
        guard case .content(let entry) = result[0] else {
            Issue.record("expected a content record")
            return
        }
        #expect(entry["jpegphoto"]?.values == [photos.hjensen])
        #expect(entry["uid"]?.values == [bytes("hjensen")])
    }

    @Test("Example 4 as published: the missing file is an error naming the URL and line")
    func example4MissingFile() throws {
        let error = readError(try fixture("rfc2849-example4.ldif"))
        #expect(error?.line == 11)
        guard case .unreadableURL(let url, _) = error?.kind else {
            Issue.record("expected unreadableURL, got \(String(describing: error))")
            return
        }
        #expect(url == "file:///usr/local/directory/photos/hjensen.jpg")
    }

    @Test("Example 5: base64 UTF-8 DNs, attribute options, folded comments")
    func example5() throws {
        let result = try records(try fixture("rfc2849-example5.ldif"))
        try #require(result.count == 2)
        guard case .content(let unit) = result[0], case .content(let person) = result[1] else {
            Issue.record("expected two content records")
            return
        }
        #expect(unit.dn == "ou=営業部,o=Airus")
        #expect(
            unit.attributes.map(\.description) == [
                "objectclass", "ou", "ou;lang-ja", "ou;lang-ja;phonetic", "ou;lang-en", "description",
            ])
        #expect(unit["ou"]?.values == [bytes("営業部")])
        #expect(unit["ou;lang-ja;phonetic"]?.values == [bytes("えいぎょうぶ")])
        #expect(unit["OU;LANG-EN"]?.values == [bytes("Sales")])

        #expect(person.dn == "uid=rogasawara,ou=営業部,o=Airus")
        #expect(person["userpassword"]?.values == [bytes("{SHA}O3HSv1MusyL4kTjP+HKI5uxuNoM=")])
        #expect(person["cn;lang-ja"]?.values == [bytes("小笠原 ロドニー")])
        #expect(person["title;lang-ja;phonetic"]?.values == [bytes("えいぎょうぶ ぶちょう")])
        // The RFC's unindented "<JapaneseGivenname_in_...>" line is written as a folded comment continuation.
        #expect(person["givenname;lang-ja;phonetic"]?.values == [bytes("ろどにー")])
        #expect(person["title;lang-en"]?.values == [bytes("Sales, Director")])
        #expect(person.attributes.count == 21)
    }

    @Test("Example 6: add, delete, modrdn with and without newsuperior, modify")
    func example6() throws {
        let photos = try PhotoDirectory()
        defer { photos.remove() }
        let result = try records(photos.rewrite(try fixture("rfc2849-example6.ldif")))
        let expected: [LDIFRecord] = [
            .change(
                LDIFChangeRecord(
                    dn: "cn=Fiona Jensen, ou=Marketing, dc=airius, dc=com",
                    change: .add([
                        attribute("objectclass", "top", "person", "organizationalPerson"),
                        attribute("cn", "Fiona Jensen"),
                        attribute("sn", "Jensen"),
                        attribute("uid", "fiona"),
                        attribute("telephonenumber", "+1 408 555 1212"),
                        LDIFAttribute(description: "jpegphoto", values: [photos.fiona]),
                    ])
                )),
            .change(LDIFChangeRecord(dn: "cn=Robert Jensen, ou=Marketing, dc=airius, dc=com", change: .delete)),
            .change(
                LDIFChangeRecord(
                    dn: "cn=Paul Jensen, ou=Product Development, dc=airius, dc=com",
                    change: .modifyDN(newRDN: "cn=Paula Jensen", deleteOldRDN: true, newSuperior: nil)
                )),
            .change(
                LDIFChangeRecord(
                    dn: "ou=PD Accountants, ou=Product Development, dc=airius, dc=com",
                    change: .modifyDN(
                        newRDN: "ou=Product Development Accountants",
                        deleteOldRDN: false,
                        newSuperior: "ou=Accounting, dc=airius, dc=com"
                    )
                )),
            .change(
                LDIFChangeRecord(
                    dn: "cn=Paula Jensen, ou=Product Development, dc=airius, dc=com",
                    change: .modify([
                        LDIFModification(
                            .add,
                            attribute: "postaladdress",
                            stringValues: ["123 Anystreet $ Sunnyvale, CA $ 94086"]
                        ),
                        LDIFModification(.delete, attribute: "description"),
                        LDIFModification(
                            .replace,
                            attribute: "telephonenumber",
                            stringValues: ["+1 408 555 1234", "+1 408 555 5678"]
                        ),
                        LDIFModification(
                            .delete,
                            attribute: "facsimiletelephonenumber",
                            stringValues: ["+1 408 555 9876"]
                        ),
                    ])
                )),
            .change(
                LDIFChangeRecord(
                    dn: "cn=Ingrid Jensen, ou=Product Support, dc=airius, dc=com",
                    change: .modify([
                        LDIFModification(.replace, attribute: "postaladdress"),
                        LDIFModification(.delete, attribute: "description"),
                    ])
                )),
        ]
        #expect(result == expected)
    }

    @Test("Example 7: a critical control without a value")
    func example7() throws {
        let result = try records(try fixture("rfc2849-example7.ldif"))
        #expect(
            result == [
                .change(
                    LDIFChangeRecord(
                        dn: "ou=Product Development, dc=airius, dc=com",
                        controls: [LDIFControl(oid: "1.2.840.113556.1.4.805", criticality: true)],
                        change: .delete
                    ))
            ])
    }

    @Test(
        "Every example reads the same in 1-byte chunks, with CRLF, and from a file",
        arguments: (1...7).map { "rfc2849-example\($0).ldif" }
    )
    func chunkingAndLineEndings(name: String) throws {
        let photos = try PhotoDirectory()
        defer { photos.remove() }
        let text = photos.rewrite(try fixture(name))
        let whole = try records(text)
        #expect(!whole.isEmpty)
        #expect(try records(text, chunkSize: 1) == whole)
        #expect(try records(text, chunkSize: 3) == whole)
        #expect(try records(crlf(text), chunkSize: 1) == whole)
        #expect(try records(crlf(text)) == whole)

        let path = photos.url.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var fileReader = try LDIFReader(path: path, chunkSize: 5)
        #expect(try fileReader.readAll() == whole)
    }
}

// MARK: - Reader

@Suite("LDIF: reader")
struct LDIFReaderTests {
    @Test("Comments, folded comments, several blank lines, no trailing newline")
    func layout() throws {
        let text = """
            # leading comment
             continued comment
            version: 1


            # between
            dn: cn=a,dc=x
            # inside a record
            #  and its
             continuation
            cn: a
            sn: b\u{20}


            dn: cn=b,dc=x
            cn: b
            """
        let result = try records(text)
        #expect(
            result == [
                .content(LDIFEntry(dn: "cn=a,dc=x", attributes: [attribute("cn", "a"), attribute("sn", "b ")])),
                .content(LDIFEntry(dn: "cn=b,dc=x", attributes: [attribute("cn", "b")])),
            ])
    }

    @Test("A folded line may be split anywhere, even inside the attribute description or the colon")
    func foldingAnywhere() throws {
        let text = "d\n n\n :\n  cn=a,\n dc=x\nobjectC\n lass:\n : dG9w\ncn:\n\ta\n"
        let result = try records(text)
        #expect(
            result == [
                .content(
                    LDIFEntry(dn: "cn=a,dc=x", attributes: [attribute("objectClass", "top"), attribute("cn", "a")]))
            ])
    }

    @Test("Keywords are case-insensitive; values of one attribute are gathered")
    func caseInsensitive() throws {
        let text = """
            DN: cn=a,dc=x
            cn: 1
            sn: 2
            CN: 3

            """
        let result = try records(text)
        #expect(
            result == [
                .content(LDIFEntry(dn: "cn=a,dc=x", attributes: [attribute("cn", "1", "3"), attribute("sn", "2")]))
            ])
        let change = try records("dn: cn=a\nChangeType: MODIFY\nADD: cn\ncn: x\n-\n")
        #expect(
            change == [
                .change(
                    LDIFChangeRecord(
                        dn: "cn=a",
                        change: .modify([LDIFModification(.add, attribute: "cn", stringValues: ["x"])])
                    ))
            ])
    }

    @Test("Empty values, a space-only FILL, UTF-8 text values, trailing spaces kept")
    func values() throws {
        let result = try records("dn:\ncn:\nsn::\ngivenName:    Zoë \ndescription:: IGxlYWRpbmc=\n")
        #expect(
            result == [
                .content(
                    LDIFEntry(
                        dn: "",
                        attributes: [
                            LDIFAttribute(description: "cn", values: [[]]),
                            LDIFAttribute(description: "sn", values: [[]]),
                            attribute("givenName", "Zoë "),
                            attribute("description", " leading"),
                        ]))
            ])
    }

    @Test("Modify: increment, a missing final '-', moddn, controls with values")
    func changes() throws {
        let text = """
            version: 1
            dn: cn=counter,dc=x
            control: 1.2.3.4
            control: 1.2.3.5 false: plain value
            control: 1.2.3.6 true:: AAEC
            control: 1.2.3.7:
            changetype: modify
            increment: uidNumber
            uidNumber: 5
            -
            replace: description
            description: one

            dn: cn=old,dc=x
            changetype: moddn
            newrdn:: Y249bmV3
            deleteoldrdn: 0
            newsuperior: dc=y
            """
        let result = try records(text)
        #expect(
            result == [
                .change(
                    LDIFChangeRecord(
                        dn: "cn=counter,dc=x",
                        controls: [
                            LDIFControl(oid: "1.2.3.4"),
                            LDIFControl(oid: "1.2.3.5", criticality: false, value: bytes("plain value")),
                            LDIFControl(oid: "1.2.3.6", criticality: true, value: [0, 1, 2]),
                            LDIFControl(oid: "1.2.3.7", criticality: false, value: []),
                        ],
                        change: .modify([
                            LDIFModification(.increment, attribute: "uidNumber", stringValues: ["5"]),
                            LDIFModification(.replace, attribute: "description", stringValues: ["one"]),
                        ])
                    )),
                .change(
                    LDIFChangeRecord(
                        dn: "cn=old,dc=x",
                        change: .modifyDN(newRDN: "cn=new", deleteOldRDN: false, newSuperior: "dc=y")
                    )),
            ])
    }

    @Test("Mixed content and change records: an error by default, accepted when allowed")
    func mixedRecords() throws {
        let text = "dn: cn=a\ncn: a\n\ndn: cn=b\nchangetype: delete\n"
        let error = readError(text)
        #expect(error == LDIFError(.mixedRecordKinds(fileHolds: "content"), line: 4))
        let reverse = readError("dn: cn=b\nchangetype: delete\n\n\ndn: cn=a\ncn: a\n")
        #expect(reverse == LDIFError(.mixedRecordKinds(fileHolds: "change"), line: 5))
        let mixed = try records(text, options: LDIFReader.Options(allowsMixedRecords: true))
        #expect(mixed.count == 2)
        #expect(mixed.last == .change(LDIFChangeRecord(dn: "cn=b", change: .delete)))
    }

    @Test("After an error in a record, reading goes on with the next record")
    func continuesAfterRecordError() throws {
        var reader = LDIFReader(string: "dn: cn=a\ncn:: ***\n\ndn: cn=b\ncn: b\n")
        #expect(throws: LDIFError(.invalidBase64(attribute: "cn"), line: 2)) { try reader.next() }
        #expect(try reader.next() == .content(LDIFEntry(dn: "cn=b", attributes: [attribute("cn", "b")])))
        #expect(try reader.next() == nil)
    }

    @Test("A record over the size limit is an error; the reader resumes after it")
    func recordTooLarge() throws {
        let options = LDIFReader.Options(maximumRecordSize: 64)
        let big = "dn: cn=big\n" + (1...10).map { "description: value number \($0)\n" }.joined()
        var reader = LDIFReader(string: big + "\ndn: cn=small\ncn: s\n", options: options)
        // 10 + 27 + 27 bytes fit exactly; the third description line (line 4) goes over.
        #expect(throws: LDIFError(.recordTooLarge(limit: 64), line: 4)) { try reader.next() }
        #expect(try reader.next()?.dn == "cn=small")
        #expect(try reader.next() == nil)
    }

    @Test("A file URL value counts toward the record size limit")
    func urlValueTooLarge() throws {
        let photos = try PhotoDirectory()
        defer { photos.remove() }
        let text = photos.rewrite("dn: cn=a\njpegphoto:< file:///usr/local/directory/photos/fiona.jpg\n")
        #expect(try records(text, options: LDIFReader.Options(maximumRecordSize: 400)).count == 1)
        let error = readError(text, options: LDIFReader.Options(maximumRecordSize: 200))
        #expect(error == LDIFError(.recordTooLarge(limit: 200), line: 2))
    }

    @Test("A line over the line limit stops the reader, even when its line feed never comes")
    func lineTooLong() throws {
        let options = LDIFReader.Options(maximumLineLength: 20)
        let long = "dn: cn=a\ncn: " + String(repeating: "x", count: 40) + "\n\ndn: cn=b\ncn: b\n"
        var reader = LDIFReader(source: LDIFMemorySource(bytes(long), chunkSize: 1), options: options)
        #expect(throws: LDIFError(.lineTooLong(limit: 20), line: 2)) { try reader.next() }
        #expect(try reader.next() == nil)

        // Exactly at the limit, with CRLF, is accepted.
        let exact = "dn: cn=a\r\ncn: " + String(repeating: "y", count: 16) + "\r\n"
        #expect(try records(exact, chunkSize: 1, options: options).count == 1)
        #expect(try records(exact + "\r\n", chunkSize: 1, options: options).count == 1)

        // Folding cannot get around the limit.
        let folded = "dn: cn=a\ncn: 0123456789\n 0123456789\n 0123456789\n"
        #expect(readError(folded, options: options) == LDIFError(.lineTooLong(limit: 20), line: 2))
    }

    @Test("File URLs can be turned off, and other schemes are errors naming the URL")
    func urlPolicy() {
        let text = "dn: cn=a\ncn: a\njpegphoto:< file:///etc/hostname\n"
        let off = readError(text, options: LDIFReader.Options(resolvesFileURLs: false))
        #expect(off == LDIFError(.urlNotAllowed("file:///etc/hostname"), line: 3))
        let http = readError("dn: cn=a\njpegphoto:<  http://example.com/a.jpg\n")
        #expect(http == LDIFError(.unsupportedURL("http://example.com/a.jpg"), line: 2))
        let remote = readError("dn: cn=a\njpegphoto:< file://server/a.jpg\n")
        #expect(remote == LDIFError(.unsupportedURL("file://server/a.jpg"), line: 2))
    }

    @Test("File URLs are percent-decoded")
    func percentDecodedURL() throws {
        let photos = try PhotoDirectory()
        defer { photos.remove() }
        try Data([1, 2, 3]).write(to: photos.url.appendingPathComponent("a b.bin"))
        let text = "dn: cn=a\ndata:< file://localhost\(photos.url.path)/a%20b.bin\n"
        let result = try records(text)
        #expect(
            result == [
                .content(LDIFEntry(dn: "cn=a", attributes: [LDIFAttribute(description: "data", values: [[1, 2, 3]])]))
            ])
    }

    @Test("Errors read from a file name the file")
    func errorNamesFile() throws {
        let photos = try PhotoDirectory()
        defer { photos.remove() }
        let path = photos.url.appendingPathComponent("bad.ldif").path
        try Data("version: 1\n\ndn: cn=a\nchangetype: rename-it\n".utf8).write(to: URL(fileURLWithPath: path))
        var reader = try LDIFReader(path: path, chunkSize: 2)
        do {
            _ = try reader.readAll()
            Issue.record("expected an error")
        } catch {
            #expect(error == LDIFError(.unknownChangeType("rename-it"), line: 4, source: path))
            #expect(
                error.description
                    == "\(path):4: unknown changetype 'rename-it'; expected add, delete, modify, modrdn or moddn")
        }
        #expect(throws: LDIFError.self) { _ = try LDIFReader(path: photos.url.appendingPathComponent("none").path) }
    }

    @Test("The reader pulls input only as far as the record it returns")
    func streaming() throws {
        let source = GeneratedSource(records: 5_000)
        var reader = LDIFReader(source: source, options: LDIFReader.Options(maximumRecordSize: 4_096))
        let first = try reader.next()
        #expect(first?.dn == "uid=user0,dc=example,dc=com")
        #expect(source.bytesHandedOut < 4 * GeneratedSource.chunkSize)
        var count = 1
        while let record = try reader.next() {
            #expect(record.dn == "uid=user\(count),dc=example,dc=com")
            count += 1
        }
        #expect(count == 5_000)
        #expect(source.bytesHandedOut > 100 * GeneratedSource.chunkSize)
    }
}

/// Produces `records` entries on demand, counting what the reader has asked for.
private final class GeneratedSource: LDIFByteSource {
    static let chunkSize = 100
    private let records: Int
    private var next = 0
    private var pending: [UInt8] = []
    private(set) var bytesHandedOut = 0

    init(records: Int) {
        self.records = records
    }

    func nextChunk() -> [UInt8]? {
        while pending.count < Self.chunkSize && next < records {
            pending += Array("dn: uid=user\(next),dc=example,dc=com\nobjectClass: person\nuid: user\(next)\n\n".utf8)
            next += 1
        }
        guard !pending.isEmpty else { return nil }
        let chunk = Array(pending.prefix(Self.chunkSize))
        pending.removeFirst(chunk.count)
        bytesHandedOut += chunk.count
        return chunk
    }
}

// MARK: - Reader errors

@Suite("LDIF: reader errors name the line and the fault")
struct LDIFReaderErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var line: Int
        var kind: LDIFError.Kind
        var testDescription: String { "\(kind) at line \(line)" }
    }

    static let cases: [Case] = [
        Case(text: "cn: a\n", line: 1, kind: .missingDN(found: "cn")),
        Case(
            text: "version: 1\n# comment\n\nobjectclass: top\ndn: cn=a\n", line: 4,
            kind: .missingDN(found: "objectclass")),
        Case(text: "dn: cn=a\ncn: a\n\nhello\n", line: 4, kind: .missingDN(found: "hello")),
        Case(text: "dn: cn=a\ncn: a\n\nversion: 1\n", line: 4, kind: .missingDN(found: "version")),
        Case(text: "version: 2\ndn: cn=a\ncn: a\n", line: 1, kind: .unsupportedVersion("2")),
        Case(text: "dn: cn=a\ncn: a\ndn: cn=b\n", line: 3, kind: .unexpectedDN),
        Case(text: "dn: cn=a\ncn a\n", line: 2, kind: .missingColon),
        Case(text: "dn: cn=a\nc n: a\n", line: 2, kind: .invalidAttributeDescription("c n")),
        Case(text: "dn: cn=a\n1cn: a\n", line: 2, kind: .invalidAttributeDescription("1cn")),
        Case(text: "dn: cn=a\ncn;: a\n", line: 2, kind: .invalidAttributeDescription("cn;")),
        Case(text: "dn: cn=a\ncn;lang_en: a\n", line: 2, kind: .invalidAttributeDescription("cn;lang_en")),
        Case(text: "dn: cn=a\n2.5.4.3: a\nsn:: 01.2\n", line: 3, kind: .invalidBase64(attribute: "sn")),
        Case(
            text: "dn: cn=a\ncn: a\ndescription:: Zm9v\n YmFy=\n", line: 3,
            kind: .invalidBase64(attribute: "description")),
        Case(text: "dn: cn=a\ncn:: Zm9=\n", line: 2, kind: .invalidBase64(attribute: "cn")),
        Case(text: "dn: cn=a\ncn:: Zm9vYg\n", line: 2, kind: .invalidBase64(attribute: "cn")),
        Case(text: "dn: cn=a\ncn:: Zg==Zg==\n", line: 2, kind: .invalidBase64(attribute: "cn")),
        Case(text: "dn: cn=a\ncn:: Zm9v \n", line: 2, kind: .invalidBase64(attribute: "cn")),
        Case(text: "dn:: //4=\ncn: a\n", line: 1, kind: .invalidUTF8(field: "dn")),
        Case(
            text: "dn: cn=a\nchangetype: modrdn\nnewrdn:: wyg=\ndeleteoldrdn: 1\n", line: 3,
            kind: .invalidUTF8(field: "newrdn")),
        Case(text: "dn: cn=a\ncn: :colon\n", line: 2, kind: .unsafeValue(attribute: "cn", reason: "begins with ':'")),
        Case(text: "dn: cn=a\ncn:  <less\n", line: 2, kind: .unsafeValue(attribute: "cn", reason: "begins with '<'")),
        Case(
            text: "dn: cn=a\ncn: a\rb\n", line: 2,
            kind: .unsafeValue(attribute: "cn", reason: "contains a carriage return")),
        Case(text: "dn: cn=a\ncn: a\u{0}b\n", line: 2, kind: .unsafeValue(attribute: "cn", reason: "contains NUL")),
        Case(text: "dn: cn=a\nchangetype: rename\n", line: 2, kind: .unknownChangeType("rename")),
        Case(text: "dn: cn=a\nchangetype: delete\ncn: a\n", line: 3, kind: .unexpectedLine("cn")),
        Case(
            text: "dn: cn=a\nchangetype: modify\nadd: cn\ncn: a\nreplace: sn\nsn: b\n-\n", line: 5,
            kind: .missingModificationSeparator(attribute: "sn")),
        Case(
            text: "dn: cn=a\nchangetype: modify\nadd: cn\ncn: a\nsn: b\n-\n", line: 5,
            kind: .modificationAttributeMismatch(expected: "cn", found: "sn")),
        Case(
            text: "dn: cn=a\nchangetype: modify\nput: cn\ncn: a\n-\n", line: 3,
            kind: .unknownModificationOperation("put")),
        Case(text: "dn: cn=a\nchangetype: modify\nadd: c_n\n-\n", line: 3, kind: .invalidAttributeDescription("c_n")),
        Case(text: "dn: cn=a\nchangetype: modify\n-\n", line: 3, kind: .unexpectedLine("-")),
        Case(
            text: "dn: cn=a\nchangetype: modify\nincrement: n\nn: 1\nn: 2\n-\n", line: 3,
            kind: .incrementValueCount(attribute: "n", count: 2)),
        Case(
            text: "dn: cn=a\nchangetype: modify\nincrement: n\n", line: 3,
            kind: .incrementValueCount(attribute: "n", count: 0)),
        Case(text: "dn: cn=a\nchangetype: modrdn\ndeleteoldrdn: 1\n", line: 3, kind: .missingLine("newrdn")),
        Case(text: "dn: cn=a\nchangetype: modrdn\nnewrdn: cn=b\n", line: 3, kind: .missingLine("deleteoldrdn")),
        Case(
            text: "dn: cn=a\nchangetype: modrdn\nnewrdn: cn=b\ndeleteoldrdn: yes\n", line: 4,
            kind: .invalidDeleteOldRDN("yes")),
        Case(
            text: "dn: cn=a\nchangetype: modrdn\nnewrdn: cn=b\ndeleteoldrdn: 1\nnewsuperior: dc=x\ncn: b\n", line: 6,
            kind: .unexpectedLine("cn")),
        Case(text: "dn: cn=a\n\n", line: 1, kind: .noAttributes),
        Case(text: "dn: cn=a\nchangetype: add\n", line: 2, kind: .noAttributes),
        Case(text: "dn: cn=a\ncn: a\n-\n", line: 3, kind: .unexpectedLine("-")),
        Case(text: "dn: cn=a\ncontrol: 1.2.3\ncn: a\n", line: 2, kind: .controlWithoutChangeType),
        Case(
            text: "dn: cn=a\ncontrol: manageDsaIT\nchangetype: delete\n", line: 2,
            kind: .invalidControl("'manageDsaIT' is not a numeric OID")),
        Case(
            text: "dn: cn=a\ncontrol: 1.02.3\nchangetype: delete\n", line: 2,
            kind: .invalidControl("'1.02.3' is not a numeric OID")),
        Case(
            text: "dn: cn=a\ncontrol: 1.2.3 maybe\nchangetype: delete\n", line: 2,
            kind: .invalidControl("expected 'true', 'false' or ':' after the OID, found 'maybe'")),
        Case(
            text: "dn: cn=a\ncontrol: 1.2.3 true:: A\nchangetype: delete\n", line: 2,
            kind: .invalidBase64(attribute: "1.2.3")),
        Case(text: " dn: cn=a\ncn: a\n", line: 1, kind: .danglingContinuation),
        Case(text: "dn: cn=a\ncn: a\n\n \ndn: cn=b\ncn: b\n", line: 4, kind: .danglingContinuation),
    ]

    @Test("Each malformed input reports its fault at its line", arguments: cases)
    func reportsLine(testCase: Case) {
        #expect(readError(testCase.text) == LDIFError(testCase.kind, line: testCase.line))
        // The same line with CRLF line endings and 1-byte chunks.
        var reader = LDIFReader(source: LDIFMemorySource(bytes(crlf(testCase.text)), chunkSize: 1))
        #expect(throws: LDIFError(testCase.kind, line: testCase.line)) { _ = try reader.readAll() }
    }

    @Test("Raw bytes that are not UTF-8 in a dn line")
    func rawInvalidUTF8DN() {
        var reader = LDIFReader(bytes: bytes("dn: cn=") + [0xC3, 0x28] + bytes("\ncn: a\n"))
        #expect(throws: LDIFError(.invalidUTF8(field: "dn"), line: 1)) { _ = try reader.readAll() }
    }

    @Test("Messages say what is wrong")
    func messages() {
        #expect(
            LDIFError(.invalidBase64(attribute: "cn"), line: 7).description
                == "line 7: invalid base64 in the value of 'cn'")
        #expect(
            LDIFError(.missingModificationSeparator(attribute: "sn"), line: 3, source: "x.ldif").description
                == "x.ldif:3: missing '-' line before the modification of 'sn'"
        )
        #expect(LDIFError(.missingDN(found: "cn"), line: 1).message.contains("'dn:'"))
    }
}

// MARK: - Writer

@Suite("LDIF: writer")
struct LDIFWriterTests {
    struct ValueCase: CustomTestStringConvertible, Sendable {
        var value: [UInt8]
        var line: String
        var testDescription: String { line }
    }

    static let valueCases: [ValueCase] = [
        ValueCase(value: bytes("plain text"), line: "cn: plain text"),
        ValueCase(value: [], line: "cn:"),
        ValueCase(value: bytes("inner: colon < and #"), line: "cn: inner: colon < and #"),
        ValueCase(value: bytes(" lead"), line: "cn:: IGxlYWQ="),
        ValueCase(value: bytes(":lead"), line: "cn:: OmxlYWQ="),
        ValueCase(value: bytes("<lead"), line: "cn:: PGxlYWQ="),
        ValueCase(value: bytes("trail "), line: "cn:: dHJhaWwg"),
        ValueCase(value: bytes("a\nb"), line: "cn:: YQpi"),
        ValueCase(value: bytes("a\rb"), line: "cn:: YQ1i"),
        ValueCase(value: [0x61, 0, 0x62], line: "cn:: YQBi"),
        ValueCase(value: bytes("é"), line: "cn:: w6k="),
        ValueCase(value: [0xFF], line: "cn:: /w=="),
    ]

    @Test("Values are written as text only when they are SAFE-STRINGs", arguments: valueCases)
    func safeStrings(testCase: ValueCase) throws {
        let record = LDIFRecord.content(
            LDIFEntry(
                dn: "cn=a",
                attributes: [LDIFAttribute(description: "cn", values: [testCase.value])]
            ))
        let text = LDIFWriter.string(for: [record], options: LDIFWriter.Options(writesVersion: false))
        #expect(text == "dn: cn=a\n\(testCase.line)\n\n")
        #expect(try records(text) == [record])
    }

    @Test("Change records, controls, non-ASCII DNs and the version line")
    func changeRecords() throws {
        let records: [LDIFRecord] = [
            .change(
                LDIFChangeRecord(
                    dn: "cn=Zoë,dc=x",
                    controls: [LDIFControl(oid: "1.2.3", criticality: true), LDIFControl(oid: "1.2.4", value: [0])],
                    change: .modify([
                        LDIFModification(.add, attribute: "cn", stringValues: ["a", "b"]),
                        LDIFModification(.delete, attribute: "sn"),
                        LDIFModification(.increment, attribute: "n", stringValues: ["1"]),
                    ])
                )),
            .change(
                LDIFChangeRecord(
                    dn: "cn=a",
                    change: .modifyDN(newRDN: "cn=b", deleteOldRDN: true, newSuperior: "dc=y")
                )),
            .change(
                LDIFChangeRecord(
                    dn: "cn=b",
                    controls: [LDIFControl(oid: "1.2.5", value: bytes("v"))],
                    change: .delete
                )),
            .change(LDIFChangeRecord(dn: "cn=c", change: .add([attribute("cn", "c")]))),
        ]
        let expected = """
            version: 1
            dn:: Y249Wm/DqyxkYz14
            control: 1.2.3 true
            control: 1.2.4:: AA==
            changetype: modify
            add: cn
            cn: a
            cn: b
            -
            delete: sn
            -
            increment: n
            n: 1
            -

            dn: cn=a
            changetype: modrdn
            newrdn: cn=b
            deleteoldrdn: 1
            newsuperior: dc=y

            dn: cn=b
            control: 1.2.5: v
            changetype: delete

            dn: cn=c
            changetype: add
            cn: c


            """
        let text = LDIFWriter.string(for: records)
        #expect(text == expected)
        #expect(try readBack(text) == records)
    }

    @Test("Long lines fold at the configured column; 0 turns folding off")
    func folding() throws {
        let value = String(repeating: "0123456789", count: 20)
        let record = LDIFRecord.content(LDIFEntry(dn: "cn=a", attributes: [attribute("description", value)]))

        let folded = LDIFWriter.string(for: [record], options: LDIFWriter.Options(writesVersion: false))
        let lines = folded.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6)  // dn, 3 physical lines of description, blank, end
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines[1].utf8.count == 76)
        #expect(lines[2].hasPrefix(" ") && lines[3].hasPrefix(" "))
        #expect(try records(folded) == [record])

        let narrow = LDIFWriter.string(
            for: [.content(LDIFEntry(dn: "cn=abcdefgh", attributes: [attribute("cn", "x")]))],
            options: LDIFWriter.Options(foldingColumn: 5, writesVersion: false)
        )
        #expect(narrow == "dn: c\n n=ab\n cdef\n gh\ncn: x\n\n")

        let unfolded = LDIFWriter.string(
            for: [record], options: LDIFWriter.Options(foldingColumn: 0, writesVersion: false))
        #expect(unfolded == "dn: cn=a\ndescription: \(value)\n\n")
    }

    @Test("Writing into a ByteBuffer, a String or bytes gives the same text; CRLF on request")
    func outputs() throws {
        let records: [LDIFRecord] = [
            .content(LDIFEntry(dn: "cn=a", attributes: [attribute("cn", "a")])),
            .content(LDIFEntry(dn: "cn=b", attributes: [attribute("cn", "b")])),
        ]
        var writer = LDIFWriter()
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        for record in records {
            writer.write(record, into: &buffer)
        }
        var stringWriter = LDIFWriter()
        var string = ""
        for record in records {
            stringWriter.write(record, into: &string)
        }
        #expect(String(buffer: buffer) == "version: 1\ndn: cn=a\ncn: a\n\ndn: cn=b\ncn: b\n\n")
        #expect(string == String(buffer: buffer))

        let windows = LDIFWriter.string(for: records, options: LDIFWriter.Options(lineEnding: .crlf))
        #expect(windows == crlf(String(buffer: buffer)))
        #expect(try readBack(windows) == records)
    }
}

private func readBack(_ text: String) throws(LDIFError) -> [LDIFRecord] {
    try records(text, chunkSize: 1)
}

// MARK: - Round trip


private struct RecordGenerator {
    var random: SeededGenerator

    private static let scalars: [Unicode.Scalar] =
        Array("abcXYZ019 =,+:<#-;\\\"'é漢字ロドニー🙂".unicodeScalars)
        + [Unicode.Scalar(0x0A), Unicode.Scalar(0x0D), Unicode.Scalar(0x09), Unicode.Scalar(0x00)]

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &random)
    }

    mutating func text(maxLength: Int) -> String {
        var string = ""
        for _ in 0..<int(0...maxLength) {
            string.unicodeScalars.append(Self.scalars[int(0...(Self.scalars.count - 1))])
        }
        return string
    }

    mutating func value() -> [UInt8] {
        switch int(0...4) {
        case 0: return (0..<int(0...40)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 1: return Array(String(repeating: "long value ", count: int(5...60)).utf8)
        case 2: return Array(text(maxLength: 30).utf8)
        case 3:
            return [[0x20], [0x3A], [0x3C], [0x41]][int(0...3)] + Array(text(maxLength: 5).utf8)
                + [[], [0x20]][int(0...1)]
        default: return Array("plain \(int(0...1_000_000))".utf8)
        }
    }

    mutating func description(_ index: Int) -> String {
        let types = ["cn", "sn", "objectClass", "x-custom-\(index)", "2.5.4.\(index)", "jpegPhoto"]
        var result = types[int(0...(types.count - 1))]
        for _ in 0..<int(0...2) {
            result += ";" + ["binary", "lang-ja", "x-\(int(0...9))"][int(0...2)]
        }
        return result
    }

    mutating func attributes() -> [LDIFAttribute] {
        var seen: Set<String> = []
        var result: [LDIFAttribute] = []
        for index in 0..<int(1...6) {
            let description = description(index)
            guard seen.insert(description.lowercased()).inserted else { continue }
            result.append(LDIFAttribute(description: description, values: (0..<int(1...4)).map { _ in value() }))
        }
        return result
    }

    /// A valid DN whose value holds any text: printed by the DN module, so every special character is escaped.
    mutating func dn() -> String {
        DistinguishedName(rdns: [RelativeDistinguishedName(type: "cn", value: text(maxLength: 20)),
                                 RelativeDistinguishedName(type: "dc", value: "example")]).description
    }

    mutating func content() -> LDIFRecord {
        .content(LDIFEntry(dn: dn(), attributes: attributes()))
    }

    mutating func change() -> LDIFRecord {
        let controls = (0..<int(0...2)).map { _ in
            LDIFControl(
                oid: "1.3.6.1.4.1.\(int(0...99_999))",
                criticality: int(0...1) == 1,
                value: int(0...1) == 1 ? value() : nil
            )
        }
        let change: LDIFChange
        switch int(0...3) {
        case 0:
            change = .add(attributes())
        case 1:
            change = .delete
        case 2:
            change = .modify(
                (0..<int(0...4)).map { index in
                    let operation = LDIFModification.Operation.allCases[int(0...3)]
                    let count = operation == .increment ? 1 : int(0...3)
                    return LDIFModification(
                        operation, attribute: description(index), values: (0..<count).map { _ in value() })
                })
        default:
            change = .modifyDN(
                newRDN: DistinguishedName(rdns: [RelativeDistinguishedName(type: "cn", value: text(maxLength: 10))]).description, deleteOldRDN: int(0...1) == 1,
                newSuperior: int(0...1) == 1 ? dn() : nil)
        }
        return .change(LDIFChangeRecord(dn: dn(), controls: controls, change: change))
    }
}

@Suite("LDIF: write then read gives the same records")
struct LDIFRoundTripTests {
    @Test("Seeded random records, folding columns, line endings and chunk sizes", arguments: 1...40)
    func roundTrip(seed: UInt64) throws {
        var generator = RecordGenerator(random: SeededGenerator(seed: seed))
        let changes = seed % 2 == 0
        let records = (0..<generator.int(1...12)).map { _ in changes ? generator.change() : generator.content() }
        let options = LDIFWriter.Options(
            foldingColumn: [0, 2, 3, 76, 200][generator.int(0...4)],
            writesVersion: generator.int(0...1) == 1,
            lineEnding: generator.int(0...1) == 1 ? .crlf : .lf
        )
        var writer = LDIFWriter(options: options)
        var output: [UInt8] = []
        for record in records {
            writer.write(record, into: &output)
        }
        if options.foldingColumn > 0 {
            let lineLimit = max(2, options.foldingColumn)
            let lines = output.split(separator: 0x0A)
            #expect(lines.allSatisfy { $0.filter { $0 != 0x0D }.count <= lineLimit }, "seed \(seed)")
        }
        #expect(output.allSatisfy { $0 < 0x80 })
        for chunkSize in [1, generator.int(2...50), 65_536] {
            var reader = LDIFReader(source: LDIFMemorySource(output, chunkSize: chunkSize))
            let read = try reader.readAll()
            #expect(read == records, "seed \(seed), chunk size \(chunkSize)")
        }
    }
}

@Suite("LDIF: distinguished names are checked against RFC 4514")
struct LDIFDistinguishedNameTests {
    @Test("a malformed dn, newrdn or newsuperior is refused at its line", arguments: [
        ("dn: cn=a\ncn: a\n\ndn: cn=b,=x\ncn: b\n", 4, "dn"),
        ("version: 1\n\ndn: no-equals-sign\ncn: a\n", 3, "dn"),
        ("dn: cn=a,dc=x\nchangetype: modrdn\nnewrdn: cn=b,dc=y\ndeleteoldrdn: 1\n", 3, "newrdn"),
        ("dn: cn=a,dc=x\nchangetype: moddn\nnewrdn: cn=b\ndeleteoldrdn: 0\nnewsuperior: dc=x\\\n", 5, "newsuperior"),
    ])
    func refused(text: String, line: Int, field: String) {
        let error = readError(text)
        #expect(error?.line == line)
        if case .invalidDistinguishedName(let found, _) = error?.kind {
            #expect(found == field)
        } else {
            Issue.record("expected invalidDistinguishedName, got \(String(describing: error))")
        }
    }

    @Test("checking can be turned off for inputs that carry names the DN module does not know yet")
    func optional() throws {
        let records = try records("dn: no-equals-sign\ncn: a\n", options: .init(validatesDistinguishedNames: false))
        #expect(records.count == 1)
    }
}

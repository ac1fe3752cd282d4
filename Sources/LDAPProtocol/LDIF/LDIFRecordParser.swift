import Foundation

/// Turns the unfolded lines of one LDIF record into an ``LDIFRecord``, following the RFC 2849 grammar.
struct LDIFRecordParser {
    /// How a value is written after the attribute description.
    enum ValueForm {
        /// `name: text`
        case text
        /// `name:: base64`
        case base64
        /// `name:< url`
        case url
    }

    /// One `name: value` line, split.
    struct Line {
        var number: Int
        var name: ArraySlice<UInt8>
        var form: ValueForm
        var payload: ArraySlice<UInt8>

        var nameString: String { String(decoding: name, as: UTF8.self) }
    }

    private let storage: [UInt8]
    private let lines: [(number: Int, range: Range<Int>)]
    private let options: LDIFReader.Options
    /// Bytes still allowed for values loaded from URLs.
    private var budget: Int

    init(storage: [UInt8], lines: [(number: Int, range: Range<Int>)], options: LDIFReader.Options, budget: Int) {
        self.storage = storage
        self.lines = lines
        self.options = options
        self.budget = budget
    }

    /// Parses the record; returns `nil` for a record made of a `version:` line alone, else the record and
    /// the number of its `dn:` line.
    mutating func parse(allowingVersion: Bool) throws(LDIFError) -> (LDIFRecord, Int)? {
        var index = 0
        if allowingVersion, let first = try? split(0), LDIFSyntax.equalsIgnoringCase(first.name, "version") {
            let version = try value(of: first)
            guard version == Array("1".utf8) else {
                throw LDIFError(.unsupportedVersion(String(decoding: version, as: UTF8.self)), line: first.number)
            }
            index = 1
            if index == lines.count {
                return nil
            }
        }

        let dnLine = try dnSpec(index)
        let dn = try distinguishedName(of: dnLine, field: "dn")
        index += 1

        var controls: [LDIFControl] = []
        var firstControlLine: Int?
        while index < lines.count, !isSeparator(index) {
            let line = try split(index)
            guard LDIFSyntax.equalsIgnoringCase(line.name, "control") else { break }
            controls.append(try control(line))
            firstControlLine = firstControlLine ?? line.number
            index += 1
        }

        if index < lines.count, !isSeparator(index) {
            let line = try split(index)
            if LDIFSyntax.equalsIgnoringCase(line.name, "changetype") {
                let change = try changeRecord(changeType: line, from: index + 1)
                return (.change(LDIFChangeRecord(dn: dn, controls: controls, change: change)), dnLine.number)
            }
        }
        if let firstControlLine {
            throw LDIFError(.controlWithoutChangeType, line: firstControlLine)
        }
        let attributes = try attributes(from: index, recordLine: dnLine.number)
        return (.content(LDIFEntry(dn: dn, attributes: attributes)), dnLine.number)
    }

    // MARK: - Record parts

    private func dnSpec(_ index: Int) throws(LDIFError) -> Line {
        let (number, range) = lines[index]
        let bytes = storage[range]
        if let line = try? split(index), LDIFSyntax.equalsIgnoringCase(line.name, "dn") {
            return line
        }
        let shown = bytes.prefix { $0 != LDIFSyntax.colon }.prefix(40)
        throw LDIFError(.missingDN(found: String(decoding: shown, as: UTF8.self)), line: number)
    }

    private mutating func attributes(from start: Int, recordLine: Int) throws(LDIFError) -> [LDIFAttribute] {
        var attributes: [LDIFAttribute] = []
        var positions: [String: Int] = [:]
        for index in start..<lines.count {
            if isSeparator(index) {
                throw LDIFError(.unexpectedLine("-"), line: lines[index].number)
            }
            let line = try split(index)
            if LDIFSyntax.equalsIgnoringCase(line.name, "dn") {
                throw LDIFError(.unexpectedDN, line: line.number)
            }
            let value = try value(of: line)
            let description = line.nameString
            let key = LDIFSyntax.lowercased(description)
            if let position = positions[key] {
                attributes[position].values.append(value)
            } else {
                positions[key] = attributes.count
                attributes.append(LDIFAttribute(description: description, values: [value]))
            }
        }
        guard !attributes.isEmpty else {
            throw LDIFError(.noAttributes, line: lines.last?.number ?? recordLine)
        }
        return attributes
    }

    private mutating func changeRecord(changeType: Line, from start: Int) throws(LDIFError) -> LDIFChange {
        let type = try value(of: changeType)
        if LDIFSyntax.equalsIgnoringCase(type, "add") {
            return .add(try attributes(from: start, recordLine: changeType.number))
        } else if LDIFSyntax.equalsIgnoringCase(type, "delete") {
            try expectEnd(at: start)
            return .delete
        } else if LDIFSyntax.equalsIgnoringCase(type, "modify") {
            return .modify(try modifications(from: start))
        } else if LDIFSyntax.equalsIgnoringCase(type, "modrdn") || LDIFSyntax.equalsIgnoringCase(type, "moddn") {
            return try modifyDN(from: start, changeTypeLine: changeType.number)
        }
        throw LDIFError(.unknownChangeType(String(decoding: type, as: UTF8.self)), line: changeType.number)
    }

    private mutating func modifyDN(from start: Int, changeTypeLine: Int) throws(LDIFError) -> LDIFChange {
        var index = start
        let newRDNLine = try required("newrdn", at: index, after: changeTypeLine)
        let newRDN = try distinguishedName(of: newRDNLine, field: "newrdn")
        index += 1
        let deleteLine = try required("deleteoldrdn", at: index, after: newRDNLine.number)
        let flag = try value(of: deleteLine)
        guard flag == [0x30] || flag == [0x31] else {
            throw LDIFError(.invalidDeleteOldRDN(String(decoding: flag, as: UTF8.self)), line: deleteLine.number)
        }
        index += 1
        var newSuperior: String?
        if index < lines.count, !isSeparator(index) {
            let line = try split(index)
            if LDIFSyntax.equalsIgnoringCase(line.name, "newsuperior") {
                newSuperior = try distinguishedName(of: line, field: "newsuperior")
                index += 1
            }
        }
        try expectEnd(at: index)
        return .modifyDN(newRDN: newRDN, deleteOldRDN: flag == [0x31], newSuperior: newSuperior)
    }

    private mutating func modifications(from start: Int) throws(LDIFError) -> [LDIFModification] {
        var modifications: [LDIFModification] = []
        var current: (modification: LDIFModification, line: Int)?
        for index in start..<lines.count {
            if isSeparator(index) {
                guard let open = current else {
                    throw LDIFError(.unexpectedLine("-"), line: lines[index].number)
                }
                modifications.append(try finished(open.modification, line: open.line))
                current = nil
                continue
            }
            let line = try split(index)
            if var open = current {
                let attribute = open.modification.attribute
                if LDIFSyntax.lowercased(line.nameString) == LDIFSyntax.lowercased(attribute) {
                    open.modification.values.append(try value(of: line))
                    current = open
                } else if operation(line.name) != nil {
                    let next = String(decoding: (try? value(of: line)) ?? [], as: UTF8.self)
                    throw LDIFError(.missingModificationSeparator(attribute: next), line: line.number)
                } else {
                    throw LDIFError(
                        .modificationAttributeMismatch(expected: attribute, found: line.nameString),
                        line: line.number
                    )
                }
            } else {
                guard let operation = operation(line.name) else {
                    throw LDIFError(.unknownModificationOperation(line.nameString), line: line.number)
                }
                let attribute = try value(of: line)
                guard LDIFSyntax.isAttributeDescription(attribute) else {
                    throw LDIFError(
                        .invalidAttributeDescription(String(decoding: attribute, as: UTF8.self)),
                        line: line.number
                    )
                }
                let description = String(decoding: attribute, as: UTF8.self)
                current = (LDIFModification(operation, attribute: description), line.number)
            }
        }
        // Like OpenLDAP's ldapmodify, accept a last modification not closed by "-".
        if let open = current {
            modifications.append(try finished(open.modification, line: open.line))
        }
        return modifications
    }

    private func finished(_ modification: LDIFModification, line: Int) throws(LDIFError) -> LDIFModification {
        if modification.operation == .increment && modification.values.count != 1 {
            throw LDIFError(
                .incrementValueCount(attribute: modification.attribute, count: modification.values.count),
                line: line
            )
        }
        return modification
    }

    private func operation(_ name: ArraySlice<UInt8>) -> LDIFModification.Operation? {
        LDIFModification.Operation.allCases.first { operation in
            LDIFSyntax.lowercased(String(decoding: name, as: UTF8.self)) == operation.rawValue
        }
    }

    /// `control: numericoid [SP ("true" / "false")] [value-spec]`
    private mutating func control(_ line: Line) throws(LDIFError) -> LDIFControl {
        guard line.form == .text else {
            throw LDIFError(.invalidControl("the OID must be written as text after 'control:'"), line: line.number)
        }
        var rest = line.payload
        let oid = rest.prefix { LDIFSyntax.isDigit($0) || $0 == LDIFSyntax.dot }
        guard LDIFSyntax.isNumericOID(oid) else {
            let shown = String(
                decoding: rest.prefix { $0 != LDIFSyntax.space && $0 != LDIFSyntax.colon }, as: UTF8.self)
            throw LDIFError(.invalidControl("'\(shown)' is not a numeric OID"), line: line.number)
        }
        rest = rest.dropFirst(oid.count)
        var criticality = false
        let spaces = rest.prefix { $0 == LDIFSyntax.space }.count
        rest = rest.dropFirst(spaces)
        if spaces > 0 {
            let word = rest.prefix { $0 != LDIFSyntax.space && $0 != LDIFSyntax.colon }
            if LDIFSyntax.equalsIgnoringCase(word, "true") {
                criticality = true
                rest = rest.dropFirst(word.count)
            } else if LDIFSyntax.equalsIgnoringCase(word, "false") {
                rest = rest.dropFirst(word.count)
            }
        }
        let oidString = String(decoding: oid, as: UTF8.self)
        guard let first = rest.first else {
            return LDIFControl(oid: oidString, criticality: criticality)
        }
        guard first == LDIFSyntax.colon else {
            let shown = String(decoding: rest.prefix(40), as: UTF8.self)
            throw LDIFError(
                .invalidControl("expected 'true', 'false' or ':' after the OID, found '\(shown)'"),
                line: line.number
            )
        }
        var valueLine = line
        valueLine.name = oid
        (valueLine.form, valueLine.payload) = Self.valueSpec(rest.dropFirst())
        return LDIFControl(oid: oidString, criticality: criticality, value: try value(of: valueLine))
    }

    // MARK: - Lines and values

    private func isSeparator(_ index: Int) -> Bool {
        let range = lines[index].range
        return range.count == 1 && storage[range.lowerBound] == LDIFSyntax.hyphen
    }

    private func expectEnd(at index: Int) throws(LDIFError) {
        guard index < lines.count else { return }
        let bytes = storage[lines[index].range]
        let keyword = bytes.prefix { $0 != LDIFSyntax.colon }.prefix(40)
        throw LDIFError(.unexpectedLine(String(decoding: keyword, as: UTF8.self)), line: lines[index].number)
    }

    private func required(_ keyword: StaticString, at index: Int, after previousLine: Int) throws(LDIFError) -> Line {
        let name = "\(keyword)"
        guard index < lines.count else {
            throw LDIFError(.missingLine(name), line: previousLine)
        }
        guard !isSeparator(index) else {
            throw LDIFError(.missingLine(name), line: lines[index].number)
        }
        let line = try split(index)
        guard LDIFSyntax.equalsIgnoringCase(line.name, keyword) else {
            throw LDIFError(.missingLine(name), line: line.number)
        }
        return line
    }

    /// Splits line `index` into attribute description and value spec, checking the description.
    private func split(_ index: Int) throws(LDIFError) -> Line {
        let (number, range) = lines[index]
        let bytes = storage[range]
        guard let colon = bytes.firstIndex(of: LDIFSyntax.colon) else {
            throw LDIFError(.missingColon, line: number)
        }
        let name = bytes[..<colon]
        guard LDIFSyntax.isAttributeDescription(name) else {
            throw LDIFError(
                .invalidAttributeDescription(String(decoding: name.prefix(80), as: UTF8.self)), line: number)
        }
        let (form, payload) = Self.valueSpec(bytes[(colon + 1)...])
        return Line(number: number, name: name, form: form, payload: payload)
    }

    /// Splits what follows the `:` of a value spec into its form and payload, dropping the FILL spaces.
    private static func valueSpec(_ afterColon: ArraySlice<UInt8>) -> (ValueForm, ArraySlice<UInt8>) {
        var rest = afterColon
        var form = ValueForm.text
        if rest.first == LDIFSyntax.colon {
            form = .base64
            rest = rest.dropFirst()
        } else if rest.first == LDIFSyntax.lessThan {
            form = .url
            rest = rest.dropFirst()
        }
        return (form, rest.drop { $0 == LDIFSyntax.space })
    }

    /// The value of a line, decoded from base64 or loaded from its URL as needed.
    private mutating func value(of line: Line) throws(LDIFError) -> [UInt8] {
        switch line.form {
        case .text:
            if let first = line.payload.first, first == LDIFSyntax.colon || first == LDIFSyntax.lessThan {
                let reason = "begins with '\(first == LDIFSyntax.colon ? ":" : "<")'"
                throw LDIFError(.unsafeValue(attribute: line.nameString, reason: reason), line: line.number)
            }
            if line.payload.contains(0) {
                throw LDIFError(.unsafeValue(attribute: line.nameString, reason: "contains NUL"), line: line.number)
            }
            if line.payload.contains(LDIFSyntax.carriageReturn) {
                throw LDIFError(
                    .unsafeValue(attribute: line.nameString, reason: "contains a carriage return"),
                    line: line.number
                )
            }
            return Array(line.payload)
        case .base64:
            guard let decoded = LDIFBase64.decode(line.payload) else {
                throw LDIFError(.invalidBase64(attribute: line.nameString), line: line.number)
            }
            return decoded
        case .url:
            return try load(url: String(decoding: line.payload, as: UTF8.self), line: line.number)
        }
    }

    /// The value of a `dn`, `newrdn` or `newsuperior` line, which must be UTF-8.
    private mutating func utf8String(of line: Line, field: String) throws(LDIFError) -> String {
        let bytes = try value(of: line)
        let string = String(decoding: bytes, as: UTF8.self)
        guard string.utf8.elementsEqual(bytes) else {
            throw LDIFError(.invalidUTF8(field: field), line: line.number)
        }
        return string
    }

    /// The value of a `dn`, `newrdn` or `newsuperior` line, checked against RFC 4514 when the options ask for it;
    /// a `newrdn` must be a single RDN.
    private mutating func distinguishedName(of line: Line, field: String) throws(LDIFError) -> String {
        let string = try utf8String(of: line, field: field)
        guard options.validatesDistinguishedNames else { return string }
        do {
            let name = try DistinguishedName(string)
            if field == "newrdn", name.rdns.count != 1 {
                throw LDIFError(.invalidDistinguishedName(field: field, reason: "a new RDN must be exactly one RDN"), line: line.number)
            }
        } catch let error as DNSyntaxError {
            throw LDIFError(.invalidDistinguishedName(field: field, reason: error.description), line: line.number)
        } catch let error as LDIFError {
            throw error
        } catch {
            throw LDIFError(.invalidDistinguishedName(field: field, reason: "\(error)"), line: line.number)
        }
        return string
    }

    /// Loads a `file://` URL value, within the record's remaining size budget.
    private mutating func load(url: String, line: Int) throws(LDIFError) -> [UInt8] {
        let lower = LDIFSyntax.lowercased(url)
        guard lower.hasPrefix("file://") else {
            throw LDIFError(.unsupportedURL(url), line: line)
        }
        guard options.resolvesFileURLs else {
            throw LDIFError(.urlNotAllowed(url), line: line)
        }
        let afterScheme = url.utf8.dropFirst("file://".utf8.count)
        let slash = afterScheme.firstIndex(of: 0x2F) ?? afterScheme.endIndex
        let host = LDIFSyntax.lowercased(String(decoding: afterScheme[..<slash], as: UTF8.self))
        guard host.isEmpty || host == "localhost", slash != afterScheme.endIndex,
            let path = Self.percentDecoded(afterScheme[slash...])
        else {
            throw LDIFError(.unsupportedURL(url), line: line)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LDIFError(.unreadableURL(url, reason: "cannot open '\(path)'"), line: line)
        }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        do {
            while let data = try handle.read(upToCount: 64 * 1024), !data.isEmpty {
                bytes.append(contentsOf: data)
                if bytes.count > budget {
                    throw LDIFError(.recordTooLarge(limit: options.maximumRecordSize), line: line)
                }
            }
        } catch let error as LDIFError {
            throw error
        } catch {
            throw LDIFError(.unreadableURL(url, reason: "\(error)"), line: line)
        }
        budget -= bytes.count
        return bytes
    }

    /// Decodes `%XX` escapes of a URL path; `nil` for a malformed escape or a path that is not UTF-8.
    private static func percentDecoded(_ path: Substring.UTF8View) -> String? {
        var bytes: [UInt8] = []
        var iterator = path.makeIterator()
        while let byte = iterator.next() {
            guard byte == 0x25 else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        let string = String(decoding: bytes, as: UTF8.self)
        return string.utf8.elementsEqual(bytes) && !bytes.contains(0) ? string : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}

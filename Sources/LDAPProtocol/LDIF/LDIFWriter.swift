import NIOCore

/// Writes LDIF (RFC 2849) records, one at a time, into bytes, a `ByteBuffer` or a `String`.
///
/// The first record written is preceded by `version: 1` (unless turned off) and every record is followed by
/// a blank line, so records may be written to a stream as they come. A value, DN or control value is
/// written as text only when it is a `SAFE-STRING` that reads back unchanged: ASCII without NUL, CR or LF,
/// not beginning with space, `:` or `<`, and not ending with a space; anything else is written in base64
/// (`::`). Lines longer than ``Options/foldingColumn`` are folded.
///
/// The writer does not check what it is given: attribute descriptions and OIDs are written as they are,
/// an attribute without values writes no line, and mixing content and change records is the caller's
/// choice. ``LDIFReader`` reads back what it writes from valid records.
public struct LDIFWriter: Sendable {
    /// The line ending written.
    public enum LineEnding: Sendable {
        /// `\n`
        case lf
        /// `\r\n`
        case crlf
    }

    /// Choices of the writer.
    public struct Options: Sendable {
        /// The longest physical line written, in bytes without the line ending; 0 turns folding off.
        /// Values from 1 are raised to 2 (one character plus the leading space of a continuation).
        public var foldingColumn: Int
        /// Whether `version: 1` is written before the first record.
        public var writesVersion: Bool
        /// The line ending.
        public var lineEnding: LineEnding

        /// Creates options; by default folding at 76 columns (RFC 2849's advice), a version line and LF.
        public init(foldingColumn: Int = 76, writesVersion: Bool = true, lineEnding: LineEnding = .lf) {
            self.foldingColumn = foldingColumn
            self.writesVersion = writesVersion
            self.lineEnding = lineEnding
        }
    }

    private let options: Options
    private var wroteHeader = false

    /// Creates a writer.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// The LDIF text of `records`, with the version line if the options ask for it.
    public static func string(for records: [LDIFRecord], options: Options = Options()) -> String {
        var writer = LDIFWriter(options: options)
        var output: [UInt8] = []
        for record in records {
            writer.write(record, into: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `record` (and the version line first, if due) to `output`.
    public mutating func write(_ record: LDIFRecord, into output: inout [UInt8]) {
        if !wroteHeader {
            wroteHeader = true
            if options.writesVersion {
                appendLine(Array("version: 1".utf8), to: &output)
            }
        }
        switch record {
        case .content(let entry):
            appendValueLine(name: "dn", value: Array(entry.dn.utf8), to: &output)
            appendAttributes(entry.attributes, to: &output)
        case .change(let change):
            appendChange(change, to: &output)
        }
        appendEndOfLine(to: &output)
    }

    /// Appends `record` (and the version line first, if due) to `buffer`.
    public mutating func write(_ record: LDIFRecord, into buffer: inout ByteBuffer) {
        var output: [UInt8] = []
        write(record, into: &output)
        buffer.writeBytes(output)
    }

    /// Appends `record` (and the version line first, if due) to `string`.
    public mutating func write(_ record: LDIFRecord, into string: inout String) {
        var output: [UInt8] = []
        write(record, into: &output)
        string += String(decoding: output, as: UTF8.self)
    }

    // MARK: - Records

    private func appendChange(_ record: LDIFChangeRecord, to output: inout [UInt8]) {
        appendValueLine(name: "dn", value: Array(record.dn.utf8), to: &output)
        for control in record.controls {
            var line = Array("control: \(control.oid)".utf8)
            if control.criticality {
                line += Array(" true".utf8)
            }
            if let value = control.value {
                appendValueSpec(value, to: &line)
            }
            appendLine(line, to: &output)
        }
        switch record.change {
        case .add(let attributes):
            appendLine(Array("changetype: add".utf8), to: &output)
            appendAttributes(attributes, to: &output)
        case .delete:
            appendLine(Array("changetype: delete".utf8), to: &output)
        case .modify(let modifications):
            appendLine(Array("changetype: modify".utf8), to: &output)
            for modification in modifications {
                appendLine(Array("\(modification.operation.rawValue): \(modification.attribute)".utf8), to: &output)
                for value in modification.values {
                    appendValueLine(name: modification.attribute, value: value, to: &output)
                }
                appendLine([LDIFSyntax.hyphen], to: &output)
            }
        case .modifyDN(let newRDN, let deleteOldRDN, let newSuperior):
            appendLine(Array("changetype: modrdn".utf8), to: &output)
            appendValueLine(name: "newrdn", value: Array(newRDN.utf8), to: &output)
            appendLine(Array("deleteoldrdn: \(deleteOldRDN ? 1 : 0)".utf8), to: &output)
            if let newSuperior {
                appendValueLine(name: "newsuperior", value: Array(newSuperior.utf8), to: &output)
            }
        }
    }

    private func appendAttributes(_ attributes: [LDIFAttribute], to output: inout [UInt8]) {
        for attribute in attributes {
            for value in attribute.values {
                appendValueLine(name: attribute.description, value: value, to: &output)
            }
        }
    }

    // MARK: - Lines

    private func appendValueLine(name: String, value: [UInt8], to output: inout [UInt8]) {
        var line = Array(name.utf8)
        appendValueSpec(value, to: &line)
        appendLine(line, to: &output)
    }

    /// `: text`, `:: base64`, or `:` alone for an empty value.
    private func appendValueSpec(_ value: [UInt8], to line: inout [UInt8]) {
        line.append(LDIFSyntax.colon)
        guard !value.isEmpty else { return }
        if LDIFSyntax.isSafeString(value) {
            line.append(LDIFSyntax.space)
            line += value
        } else {
            line += [LDIFSyntax.colon, LDIFSyntax.space]
            LDIFBase64.encode(value, into: &line)
        }
    }

    /// Appends `line` folded at the configured column, each physical line ended.
    private func appendLine(_ line: [UInt8], to output: inout [UInt8]) {
        let column = options.foldingColumn <= 0 ? 0 : max(2, options.foldingColumn)
        guard column > 0, line.count > column else {
            output += line
            appendEndOfLine(to: &output)
            return
        }
        output += line[0..<column]
        appendEndOfLine(to: &output)
        var start = column
        while start < line.count {
            let end = min(line.count, start + column - 1)
            output.append(LDIFSyntax.space)
            output += line[start..<end]
            appendEndOfLine(to: &output)
            start = end
        }
    }

    private func appendEndOfLine(to output: inout [UInt8]) {
        if options.lineEnding == .crlf {
            output.append(LDIFSyntax.carriageReturn)
        }
        output.append(LDIFSyntax.lineFeed)
    }
}

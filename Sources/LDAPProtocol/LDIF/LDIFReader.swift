/// Reads LDIF (RFC 2849) records one at a time from a byte source, never holding more than the record
/// being read (plus one chunk of input) in memory.
///
/// ```swift
/// var reader = try LDIFReader(path: "/tmp/export.ldif")
/// while let record = try reader.next() {
///     ...
/// }
/// ```
///
/// What it accepts:
/// - an optional `version: 1` line, only as the first line of the input;
/// - comment lines (`#`), including their folded continuations, anywhere a line may begin;
/// - folded lines: a line starting with one space (or, as OpenLDAP also accepts, one tab) continues
///   the previous line, without that first character;
/// - LF and CRLF line endings, mixed freely, and an input without a final line ending;
/// - records separated by one or more blank lines;
/// - values as `: text`, `:: base64` (strict: alphabet, padding and zero padding bits are checked) and
///   `:< file:///absolute/path` (loaded from the file; other URL schemes are an error naming the URL);
/// - content records, or change records (`add`, `delete`, `modify` with `add:`/`delete:`/`replace:` and
///   RFC 4525 `increment:`, `modrdn`/`moddn`), with `control:` lines before `changetype:`.
///
/// Choices where the RFC leaves room, following OpenLDAP's `ldapmodify`:
/// - the `-` closing the last modification of a modify record may be left out (a missing `-` between two
///   modifications is an error);
/// - plain values may hold UTF-8, not only the ASCII of RFC 2849's `SAFE-STRING`, but a plain value may
///   not begin with `:` or `<` nor hold NUL or CR: those need base64.
///
/// RFC 2849 §2 allows content records or change records in a file, not both. By default the first record
/// decides and a record of the other kind is an error; ``Options/allowsMixedRecords`` accepts both, as
/// OpenLDAP's `ldapmodify -a` (`ldapadd`) does, which treats a record without `changetype:` as an add.
///
/// After an error in a record, ``next()`` goes on with the record that follows it (as `ldapmodify -c`
/// does). After an error of the input itself (unreadable, or a physical line over the limit) the reader
/// stops and ``next()`` returns `nil`.
public struct LDIFReader {
    /// Limits and choices of the reader.
    public struct Options: Sendable {
        /// The largest record accepted, in bytes of unfolded text plus the values loaded from URLs.
        public var maximumRecordSize: Int
        /// The longest line accepted, in bytes, both as written (physical) and unfolded (logical).
        public var maximumLineLength: Int
        /// Whether content and change records may appear in the same input.
        public var allowsMixedRecords: Bool
        /// Whether `:< file://` values are loaded; turn off for input from untrusted parties.
        public var resolvesFileURLs: Bool
        /// Whether `dn`, `newrdn` and `newsuperior` values are checked against RFC 4514 as they are read.
        public var validatesDistinguishedNames: Bool

        /// Creates options; by default records and lines up to 16 MiB, no mixing, file URLs loaded.
        public init(
            maximumRecordSize: Int = 16 * 1024 * 1024,
            maximumLineLength: Int = 16 * 1024 * 1024,
            allowsMixedRecords: Bool = false,
            resolvesFileURLs: Bool = true,
            validatesDistinguishedNames: Bool = true
        ) {
            self.validatesDistinguishedNames = validatesDistinguishedNames
            self.maximumRecordSize = maximumRecordSize
            self.maximumLineLength = maximumLineLength
            self.allowsMixedRecords = allowsMixedRecords
            self.resolvesFileURLs = resolvesFileURLs
        }
    }

    /// Whether the records read so far are content records or change records.
    enum RecordKind: String {
        case content
        case change
    }

    private var lineReader: LDIFLineReader
    private let options: Options
    private let sourceName: String?
    /// The unfolded text of the current record's lines, one after another.
    private var storage: [UInt8] = []
    /// The current record's unfolded lines: where each starts in the input and its bytes in `storage`.
    private var logicalLines: [(number: Int, range: Range<Int>)] = []
    private var isFirstRecord = true
    private var fileKind: RecordKind?
    private var stopped = false

    /// Creates a reader pulling bytes from `source`; `sourceName` (a file name) is put into errors.
    public init(source: some LDIFByteSource, options: Options = Options(), sourceName: String? = nil) {
        self.lineReader = LDIFLineReader(source: source, maximumLineLength: options.maximumLineLength)
        self.options = options
        self.sourceName = sourceName
    }

    /// Creates a reader over bytes in memory.
    public init(bytes: [UInt8], options: Options = Options()) {
        self.init(source: LDIFMemorySource(bytes), options: options)
    }

    /// Creates a reader over the UTF-8 encoding of `string`.
    public init(string: String, options: Options = Options()) {
        self.init(bytes: Array(string.utf8), options: options)
    }

    /// Creates a reader over the file at `path`, read in chunks of `chunkSize` bytes.
    ///
    /// - Throws: ``LDIFError/Kind/readFailed(_:)`` when the file cannot be opened.
    public init(path: String, chunkSize: Int = 64 * 1024, options: Options = Options()) throws(LDIFError) {
        self.init(source: try LDIFFileSource(path: path, chunkSize: chunkSize), options: options, sourceName: path)
    }

    /// Returns the next record, or `nil` at the end of the input.
    ///
    /// - Throws: ``LDIFError`` naming the line and the fault; see the type's documentation for how
    ///   reading goes on after an error.
    public mutating func next() throws(LDIFError) -> LDIFRecord? {
        do throws(LDIFError) {
            while !stopped {
                guard try readRecordLines() else {
                    stopped = true
                    return nil
                }
                let firstRecord = isFirstRecord
                isFirstRecord = false
                var parser = LDIFRecordParser(
                    storage: storage,
                    lines: logicalLines,
                    options: options,
                    budget: options.maximumRecordSize - storage.count
                )
                guard let (record, dnLine) = try parser.parse(allowingVersion: firstRecord) else {
                    continue  // only a version line
                }
                let kind: RecordKind
                switch record {
                case .content: kind = .content
                case .change: kind = .change
                }
                if let fileKind, fileKind != kind, !options.allowsMixedRecords {
                    throw LDIFError(.mixedRecordKinds(fileHolds: fileKind.rawValue), line: dnLine)
                }
                fileKind = fileKind ?? kind
                return record
            }
            return nil
        } catch {
            var located = error
            if located.source == nil {
                located.source = sourceName
            }
            throw located
        }
    }

    /// Reads all remaining records; for tests and small inputs, as it holds them all in memory.
    public mutating func readAll() throws(LDIFError) -> [LDIFRecord] {
        var records: [LDIFRecord] = []
        while let record = try next() {
            records.append(record)
        }
        return records
    }

    /// Reads the lines of the next record into `storage` and `logicalLines`, unfolding them and dropping
    /// comments. Returns `false` at the end of the input when no record line is left.
    private mutating func readRecordLines() throws(LDIFError) -> Bool {
        storage.removeAll(keepingCapacity: true)
        logicalLines.removeAll(keepingCapacity: true)
        var pending: LDIFError?
        var inComment = false
        while true {
            let range: Range<Int>?
            do {
                range = try lineReader.nextLine()
            } catch {
                stopped = true
                throw error
            }
            guard let range else { break }
            let number = lineReader.lineNumber
            if range.isEmpty {
                inComment = false
                if logicalLines.isEmpty && pending == nil {
                    continue
                }
                break
            }
            let first = lineReader.buffer[range.lowerBound]
            if first == LDIFSyntax.space || first == LDIFSyntax.tab {
                if inComment || pending != nil {
                    continue
                }
                guard let last = logicalLines.last else {
                    pending = LDIFError(.danglingContinuation, line: number)
                    continue
                }
                storage.append(contentsOf: lineReader.buffer[(range.lowerBound + 1)..<range.upperBound])
                logicalLines[logicalLines.count - 1].range = last.range.lowerBound..<storage.count
                if storage.count - last.range.lowerBound > options.maximumLineLength {
                    pending = LDIFError(.lineTooLong(limit: options.maximumLineLength), line: last.number)
                }
            } else if first == LDIFSyntax.hash {
                inComment = true
                continue
            } else {
                inComment = false
                if pending != nil {
                    continue
                }
                let start = storage.count
                storage.append(contentsOf: lineReader.buffer[range])
                logicalLines.append((number, start..<storage.count))
            }
            if pending == nil && storage.count > options.maximumRecordSize {
                pending = LDIFError(.recordTooLarge(limit: options.maximumRecordSize), line: number)
            }
            if pending != nil {
                // Keep reading to the end of the record, storing nothing, so the next call starts afresh.
                storage.removeAll(keepingCapacity: false)
                logicalLines.removeAll(keepingCapacity: false)
            }
        }
        if let pending {
            throw pending
        }
        return !logicalLines.isEmpty
    }
}

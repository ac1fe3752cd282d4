#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The text of one LDIF record, cut from a file by ``LDIFRecordSplitter``.
struct LDIFRecordText {
    /// The record's lines (comments and folds included), each with its line ending.
    var bytes: [UInt8]
    /// The 1-based number in the file of the record's first line.
    var firstLine: Int
    /// The 1-based number of the record's first line that is not a comment (its `dn:` line, normally).
    var contentLine: Int
    /// Where that line starts in ``bytes``.
    var contentOffset: Int
    /// How many bytes of the file had been read up to the end of this record (for progress).
    var endOffset: Int
}

/// Cuts an LDIF file into records — runs of non-empty lines between empty ones — so that each record is parsed
/// alone (by `LDIFReader` over its bytes) and its errors placed in the file by adding ``LDIFRecordText/firstLine``.
///
/// Reads with `read(2)` in chunks of `chunkSize` bytes and holds one record plus one chunk: memory does not depend
/// on the file's size.
struct LDIFRecordSplitter: ~Copyable {
    /// The file, as named in errors.
    let path: String
    /// The file's size when opened (0 when unknown), for progress.
    let fileSize: Int
    private let descriptor: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false
    private var lineNumber = 0
    private var consumed = 0

    /// Opens `path`; a failure is an I/O error naming the file.
    init(path: String, chunkSize: Int = 1 << 20) throws(BulkLoadError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw BulkLoadError(.inputOutput, file: path, line: nil, "cannot open: \(systemMessage(errno))")
        }
        self.descriptor = descriptor
        // The size for progress; 0 for what cannot seek (a pipe). A directory fails at the first read (EISDIR).
        let size = lseek(descriptor, 0, SEEK_END)
        self.fileSize = size > 0 ? Int(size) : 0
        if size > 0 { lseek(descriptor, 0, SEEK_SET) }
        self.buffer = [UInt8](repeating: 0, count: max(chunkSize, 4096))
    }

    deinit { close(descriptor) }

    /// The next record's text, or `nil` at the end of the file.
    mutating func next() throws(BulkLoadError) -> LDIFRecordText? {
        var record: [UInt8] = []
        var firstLine = 0
        var contentLine = 0
        var contentOffset = 0
        var inComment = false
        while let line = try nextLine() {
            let isEmpty = line.isEmpty || (line.count == 1 && buffer[line.lowerBound] == 0x0D)
            if isEmpty {
                if record.isEmpty { continue }
                break
            }
            if record.isEmpty { firstLine = lineNumber }
            if contentLine == 0 {
                let first = buffer[line.lowerBound]
                if first == 0x23 {
                    inComment = true
                } else if !(inComment && (first == 0x20 || first == 0x09)) {
                    contentLine = lineNumber
                    contentOffset = record.count
                }
            }
            record.append(contentsOf: buffer[line])
            record.append(0x0A)
        }
        guard !record.isEmpty else { return nil }
        return LDIFRecordText(
            bytes: record, firstLine: firstLine, contentLine: contentLine == 0 ? firstLine : contentLine,
            contentOffset: contentOffset, endOffset: consumed)
    }

    /// Where the next physical line is in `buffer`, without its LF (a CR before it is kept), or `nil` at the end
    /// of the file. Valid until the next call.
    private mutating func nextLine() throws(BulkLoadError) -> Range<Int>? {
        var scanned = start
        while true {
            if let newline = buffer[scanned..<end].firstIndex(of: 0x0A) {
                let line = start..<newline
                consumed += newline + 1 - start
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < end else { return nil }
                let line = start..<end
                consumed += end - start
                start = end
                lineNumber += 1
                return line
            }
            scanned = end - start
            try fill()
        }
    }

    /// Moves the unread bytes to the front and reads more (growing the buffer for a line longer than it).
    private mutating func fill() throws(BulkLoadError) {
        if start > 0 {
            let pending = end - start
            if pending > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    guard let base = raw.baseAddress else { return }
                    memmove(base, base + start, pending)
                }
            }
            start = 0
            end = pending
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let count = buffer.count
        let filled = end
        let result = buffer.withUnsafeMutableBytes { raw in read(descriptor, raw.baseAddress! + filled, count - filled) }
        if result < 0 {
            if errno == EINTR { return }
            throw BulkLoadError(
                .inputOutput, file: path, line: lineNumber + 1, "cannot read: \(systemMessage(errno))")
        }
        if result == 0 { atEnd = true }
        end += result
    }
}

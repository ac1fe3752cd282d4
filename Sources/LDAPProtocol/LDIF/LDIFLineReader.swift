/// Splits the bytes of an ``LDIFByteSource`` into physical lines (LF or CRLF terminated, or ended by
/// the end of input), buffering no more than one line plus one chunk.
struct LDIFLineReader {
    private var source: any LDIFByteSource
    private let maximumLineLength: Int
    private(set) var buffer: [UInt8] = []
    /// Start of the bytes not yet returned.
    private var start = 0
    /// Bytes before this index (from `start`) hold no line feed.
    private var scanned = 0
    private var atEnd = false
    /// The number of the line most recently returned (1-based).
    private(set) var lineNumber = 0

    init(source: any LDIFByteSource, maximumLineLength: Int) {
        self.source = source
        self.maximumLineLength = maximumLineLength
    }

    /// Returns the range in ``buffer`` of the next line without its line ending, or `nil` at the end of input.
    /// The range is valid until the next call.
    mutating func nextLine() throws(LDIFError) -> Range<Int>? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: LDIFSyntax.lineFeed) {
                var end = newline
                if end > start && buffer[end - 1] == LDIFSyntax.carriageReturn {
                    end -= 1
                }
                let line = start..<end
                try checkLength(end - start, slack: 0)
                start = newline + 1
                scanned = start
                lineNumber += 1
                return line
            }
            scanned = buffer.count
            // Until its line feed arrives, a line may hold one byte more than the limit: the CR of a CRLF.
            try checkLength(buffer.count - start, slack: 1)
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == LDIFSyntax.carriageReturn {
                    end -= 1
                }
                try checkLength(end - start, slack: 0)
                let line = start..<end
                start = buffer.count
                scanned = start
                lineNumber += 1
                return line
            }
            try fill()
        }
    }

    private func checkLength(_ length: Int, slack: Int) throws(LDIFError) {
        if length > maximumLineLength + slack {
            throw LDIFError(.lineTooLong(limit: maximumLineLength), line: lineNumber + 1)
        }
    }

    private mutating func fill() throws(LDIFError) {
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        let chunk: [UInt8]?
        do {
            chunk = try source.nextChunk()
        } catch {
            var located = error
            located.line = lineNumber + 1
            throw located
        }
        guard let chunk else {
            atEnd = true
            return
        }
        buffer.append(contentsOf: chunk)
    }
}

/// A source of LDIF bytes that ``LDIFReader`` pulls in chunks, so it never needs the whole input at once.
public protocol LDIFByteSource {
    /// Returns the next chunk of bytes (non-empty), or `nil` at the end of the input.
    mutating func nextChunk() throws(LDIFError) -> [UInt8]?
}

/// An ``LDIFByteSource`` over bytes already in memory, handed out in chunks of a fixed size.
///
/// The chunk size only matters to tests, which use a size of 1 to put a chunk boundary everywhere.
public struct LDIFMemorySource: LDIFByteSource, Sendable {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var offset = 0

    /// Creates a source handing out `bytes` in chunks of at most `chunkSize` bytes (at least 1).
    public init(_ bytes: [UInt8], chunkSize: Int = 64 * 1024) {
        self.bytes = bytes
        self.chunkSize = max(1, chunkSize)
    }

    /// Returns the next chunk, or `nil` when all bytes were handed out.
    public mutating func nextChunk() -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        let end = min(bytes.count, offset + chunkSize)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

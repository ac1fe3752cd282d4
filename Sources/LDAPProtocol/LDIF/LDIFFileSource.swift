import Foundation

/// An ``LDIFByteSource`` reading a file in chunks through a `FileHandle`.
///
/// The handle is closed when the source is deinitialized or when the end of the file is reached.
public final class LDIFFileSource: LDIFByteSource {
    private var handle: FileHandle?
    private let path: String
    private let chunkSize: Int

    /// Opens the file at `path` for reading in chunks of `chunkSize` bytes.
    ///
    /// - Throws: ``LDIFError/Kind/readFailed(_:)`` (line 0) when the file cannot be opened.
    public init(path: String, chunkSize: Int = 64 * 1024) throws(LDIFError) {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LDIFError(.readFailed("cannot open '\(path)'"), line: 0, source: path)
        }
        self.handle = handle
    }

    deinit {
        try? handle?.close()
    }

    /// Reads the next chunk, or returns `nil` at the end of the file.
    public func nextChunk() throws(LDIFError) -> [UInt8]? {
        guard let handle else { return nil }
        let data: Data?
        do {
            data = try handle.read(upToCount: chunkSize)
        } catch {
            throw LDIFError(.readFailed("\(path): \(error)"), line: 0, source: path)
        }
        guard let data, !data.isEmpty else {
            try? handle.close()
            self.handle = nil
            return nil
        }
        return [UInt8](data)
    }
}

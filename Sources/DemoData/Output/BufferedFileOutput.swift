import Foundation

/// A file (or standard output) written through a buffer, for LDIF chunks and credential lines.
final class BufferedFileOutput {
    private let handle: FileHandle
    private let path: String
    private let closesHandle: Bool
    private var buffer: [UInt8] = []
    private static let capacity = 256 * 1024

    /// Creates or truncates the file at `path`; `nil` or `-` is standard output.
    init(path: String?) throws(DemoDataError) {
        guard let path, path != "-" else {
            self.handle = FileHandle.standardOutput
            self.path = "standard output"
            self.closesHandle = false
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw .output(path: path, reason: "cannot create the file")
        }
        self.handle = handle
        self.path = path
        self.closesHandle = true
    }

    func write(_ bytes: [UInt8]) throws(DemoDataError) {
        buffer += bytes
        if buffer.count >= Self.capacity {
            try flush()
        }
    }

    func flush() throws(DemoDataError) {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw .output(path: path, reason: "\(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(DemoDataError) {
        try flush()
        if closesHandle {
            do {
                try handle.close()
            } catch {
                throw .output(path: path, reason: "\(error)")
            }
        }
    }
}

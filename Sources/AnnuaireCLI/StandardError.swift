import Foundation

/// Lines for people on standard error, so that standard output stays the command's result.
enum StandardError {
    /// Writes `text` and a newline.
    static func write(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

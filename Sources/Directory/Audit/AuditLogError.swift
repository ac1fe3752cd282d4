#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the audit trail could not be opened or written.
package struct AuditLogError: Error, Sendable, CustomStringConvertible {
    /// What failed, with the path or the call (`write(2)`, `fsync(2)`…).
    package var message: String
    /// The system error number; 0 when there is none (a short write).
    package var code: Int32
    /// Whether the line reached the file before the failure (an `fsync` that failed after a complete
    /// `write`): the trail then holds a line for a change that will not be made, and a second line must say so.
    package var lineWritten: Bool

    /// Makes an error.
    package init(_ message: String, code: Int32, lineWritten: Bool = false) {
        self.message = message
        self.code = code
        self.lineWritten = lineWritten
    }

    /// `message: strerror(code)`.
    package var description: String {
        guard code != 0, let text = strerror(code) else { return message }
        return message + ": " + String(cString: text)
    }
}

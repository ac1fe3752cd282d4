/// A rule file that cannot be used: where (file and line) and what is wrong. The CLI turns it into exit 78
/// (EX_CONFIG), printing ``description``.
public struct AccessPolicyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file name as given (or the name passed with the text).
    public var file: String
    /// The 1-based line where the problem is (the line of the offending word); 0 when the file is unreadable.
    public var line: Int
    /// What is wrong, for an administrator.
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form editors and compilers use.
    public var description: String { "\(file):\(line): \(message)" }
}

/// Why an LDIF (RFC 2849) input could not be read.
///
/// Every error names the line where the fault is (the first physical line of the folded line that holds it)
/// and what is wrong with it, so a person can open the file at that line and fix it.
public struct LDIFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Hashable, Sendable {
        /// A record does not begin with a `dn:` line; carries what was found instead.
        case missingDN(found: String)
        /// A second `dn:` line inside a record, which usually means a blank line is missing before it.
        case unexpectedDN
        /// A line with no `:` after its attribute description (and not a `-` separator).
        case missingColon
        /// An attribute description that is not `type *(;option)` (RFC 4512 §2.5, RFC 2849 grammar).
        case invalidAttributeDescription(String)
        /// A base64 value (`::`) with a character outside the alphabet, a wrong length, misplaced padding or
        /// non-zero padding bits; carries the attribute (or keyword) it belongs to.
        case invalidBase64(attribute: String)
        /// A plain value that RFC 2849 allows only in base64: starting with `:` or `<`, or holding NUL or CR.
        case unsafeValue(attribute: String, reason: String)
        /// A distinguished name (`dn`, `newrdn` or `newsuperior`) whose bytes are not valid UTF-8.
        case invalidUTF8(field: String)
        /// A `dn`, `newrdn` or `newsuperior` that is not an RFC 4514 distinguished name.
        case invalidDistinguishedName(field: String, reason: String)
        /// A `version:` line with a value other than `1`.
        case unsupportedVersion(String)
        /// A `changetype:` other than add, delete, modify, modrdn and moddn.
        case unknownChangeType(String)
        /// A line inside a `changetype: modify` record that should begin a modification but is not
        /// `add:`, `delete:`, `replace:` or `increment:`.
        case unknownModificationOperation(String)
        /// A modification that starts (`add:`, `delete:`, ...) before the previous one was closed by `-`.
        case missingModificationSeparator(attribute: String)
        /// A value line inside a modification whose attribute differs from the one the modification names.
        case modificationAttributeMismatch(expected: String, found: String)
        /// An `increment:` modification without exactly one value (RFC 4525).
        case incrementValueCount(attribute: String, count: Int)
        /// A line the grammar does not allow at this point, e.g. anything after `changetype: delete`,
        /// or a `-` outside a modify record; carries the line's keyword.
        case unexpectedLine(String)
        /// A required line (`newrdn:`, `deleteoldrdn:`) that is missing.
        case missingLine(String)
        /// A `deleteoldrdn:` value other than `0` or `1`.
        case invalidDeleteOldRDN(String)
        /// A content record or `changetype: add` record without any attribute.
        case noAttributes
        /// A malformed `control:` line; carries what is wrong with it.
        case invalidControl(String)
        /// `control:` lines in a record that has no `changetype:`.
        case controlWithoutChangeType
        /// A content record in a file of change records, or the reverse (RFC 2849 §2); carries the kind
        /// the file was established to hold by its first record ("content" or "change").
        case mixedRecordKinds(fileHolds: String)
        /// A folded continuation line (starting with a space) with no line before it in its record.
        case danglingContinuation
        /// A physical or unfolded line longer than the configured maximum.
        case lineTooLong(limit: Int)
        /// A record (its text plus the values it loads from URLs) larger than the configured maximum.
        case recordTooLarge(limit: Int)
        /// A `:<` URL whose scheme is not `file`, or a malformed `file` URL.
        case unsupportedURL(String)
        /// A `file` URL while the reader was configured not to resolve them.
        case urlNotAllowed(String)
        /// A `file` URL whose file could not be read.
        case unreadableURL(String, reason: String)
        /// The input itself could not be opened or read.
        case readFailed(String)
    }

    /// What is wrong.
    public var kind: Kind
    /// The 1-based line number of the fault; 0 when the fault is not tied to a line (e.g. opening the file).
    public var line: Int
    /// The file being read, when the reader was created from a path.
    public var source: String?

    /// Creates an error of `kind` at `line` of `source`.
    public init(_ kind: Kind, line: Int, source: String? = nil) {
        self.kind = kind
        self.line = line
        self.source = source
    }

    /// A one-line message, `source:line: message`.
    public var description: String {
        let place = "\(source.map { "\($0):" } ?? "line ")\(line)"
        return "\(place): \(message)"
    }

    /// The message without the place.
    public var message: String {
        switch kind {
        case .missingDN(let found):
            return "expected a 'dn:' line to begin the record, found '\(found)'"
        case .unexpectedDN:
            return "a second 'dn:' line inside a record; is a blank line missing before it?"
        case .missingColon:
            return "line has no ':' after its attribute description"
        case .invalidAttributeDescription(let text):
            return "invalid attribute description '\(text)'"
        case .invalidBase64(let attribute):
            return "invalid base64 in the value of '\(attribute)'"
        case .unsafeValue(let attribute, let reason):
            return "the value of '\(attribute)' \(reason); write it in base64 with '::'"
        case .invalidUTF8(let field):
            return "the \(field) is not valid UTF-8"
        case .invalidDistinguishedName(let field, let reason):
            return "the \(field) is not a valid distinguished name: \(reason)"
        case .unsupportedVersion(let version):
            return "unsupported LDIF version '\(version)'; only 'version: 1' exists"
        case .unknownChangeType(let type):
            return "unknown changetype '\(type)'; expected add, delete, modify, modrdn or moddn"
        case .unknownModificationOperation(let operation):
            return
                "expected 'add:', 'delete:', 'replace:' or 'increment:' to begin a modification, found '\(operation)'"
        case .missingModificationSeparator(let attribute):
            return "missing '-' line before the modification of '\(attribute)'"
        case .modificationAttributeMismatch(let expected, let found):
            return "value of '\(found)' inside the modification of '\(expected)'; is a '-' line missing?"
        case .incrementValueCount(let attribute, let count):
            return "'increment: \(attribute)' needs exactly one value, found \(count)"
        case .unexpectedLine(let keyword):
            return "unexpected '\(keyword)' line here"
        case .missingLine(let keyword):
            return "missing '\(keyword):' line"
        case .invalidDeleteOldRDN(let value):
            return "deleteoldrdn must be 0 or 1, found '\(value)'"
        case .noAttributes:
            return "the record has no attributes"
        case .invalidControl(let reason):
            return "invalid control: \(reason)"
        case .controlWithoutChangeType:
            return "'control:' lines are only allowed in change records; 'changetype:' is missing"
        case .mixedRecordKinds(let fileHolds):
            let other = fileHolds == "content" ? "change record" : "content record"
            return "a \(other) in a file of \(fileHolds) records (RFC 2849 does not allow mixing them)"
        case .danglingContinuation:
            return "continuation line (starting with a space) with no line to continue"
        case .lineTooLong(let limit):
            return "line longer than the maximum of \(limit) bytes"
        case .recordTooLarge(let limit):
            return "record larger than the maximum of \(limit) bytes"
        case .unsupportedURL(let url):
            return "unsupported URL '\(url)'; only file:///absolute/path URLs are supported"
        case .urlNotAllowed(let url):
            return "URL '\(url)' not loaded: this reader does not resolve file URLs"
        case .unreadableURL(let url, let reason):
            return "cannot read URL '\(url)': \(reason)"
        case .readFailed(let reason):
            return "cannot read the LDIF input: \(reason)"
        }
    }
}

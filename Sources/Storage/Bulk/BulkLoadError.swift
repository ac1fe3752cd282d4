/// Why a bulk load stopped. Whatever the reason, the database was left as it was before the load.
///
/// The description is `FILE:LINE: reason` (or `FILE: reason` when no line is concerned), the form of compilers
/// and of `LDIFError`, so that an editor can jump to the record.
package struct BulkLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of fault, which decides the exit status of `annuaire import`.
    package enum Kind: Hashable, Sendable {
        /// A record is not acceptable: LDIF syntax, DN, schema, tree (missing parent, duplicate). Exit 65
        /// (`EX_DATAERR`).
        case data
        /// The input could not be read, or the database not written. Exit 74 (`EX_IOERR`).
        case inputOutput
        /// The data directory is held by another process (a running server). Exit 75 (`EX_TEMPFAIL`).
        case busy
    }

    /// What kind of fault.
    package var kind: Kind
    /// The LDIF file (or the data directory, for a storage failure).
    package var file: String
    /// The 1-based line of the record, or of the fault inside it; `nil` when the fault is not in a record.
    package var line: Int?
    /// What is wrong, for a person.
    package var reason: String

    /// Makes an error.
    package init(_ kind: Kind, file: String, line: Int?, _ reason: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// The `sysexits.h` status for ``kind``: 65, 74 or 75.
    package var exitStatus: Int32 {
        switch kind {
        case .data: return 65
        case .inputOutput: return 74
        case .busy: return 75
        }
    }

    /// `FILE:LINE: reason`.
    package var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}

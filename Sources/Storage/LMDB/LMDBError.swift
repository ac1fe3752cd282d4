import CLMDB

/// A failure reported by LMDB (or by the system call under it), with LMDB's own text and what was being done.
///
/// `code` is LMDB's return code: one of the negative `MDB_*` codes, or a positive `errno` value for system
/// failures (LMDB passes those through, and so do the few system calls this layer makes itself). `message` is
/// `mdb_strerror(code)`, e.g. `"MDB_MAP_FULL: Environment mapsize limit reached"`. `operation` names the call
/// and its object, e.g. `"mdb_env_open(/var/lib/annuaire/annuaire.mdb)"` or `"mdb_put(entries)"`.
package struct LMDBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// LMDB's return code (negative `MDB_*`) or a system `errno` (positive).
    package var code: Int32
    /// LMDB's text for `code`, from `mdb_strerror`.
    package var message: String
    /// The call that failed and what it was applied to.
    package var operation: String
    /// More context when LMDB's text alone does not say what to do (e.g. the configured map size limit).
    package var detail: String?

    /// Makes an error for `code`, taking the message from `mdb_strerror`.
    package init(code: Int32, operation: String, detail: String? = nil) {
        self.code = code
        self.message = String(cString: mdb_strerror(code))
        self.operation = operation
        self.detail = detail
    }

    /// The well-known codes, for callers that handle some of them.
    package var kind: Kind { Kind(code: code) }

    /// `operation: message (code)`, then the detail if any.
    package var description: String {
        var text = "\(operation): \(message) (\(code))"
        if let detail { text += "; \(detail)" }
        return text
    }

    /// The LMDB return codes that callers may want to tell apart.
    package enum Kind: Sendable, Hashable {
        /// `MDB_KEYEXIST`: a put with `noOverwrite`/`noDuplicateData` found the key (or key and value).
        case keyExists
        /// `MDB_NOTFOUND`: no such key (the read API returns `nil` instead where that is the natural answer).
        case notFound
        /// `MDB_MAP_FULL`: the map is full and could not be grown further.
        case mapFull
        /// `MDB_MAP_RESIZED`: another process grew the map beyond this one's mapping.
        case mapResized
        /// `MDB_READERS_FULL`: every reader slot is taken (see `LMDBConfiguration.maxReaders`).
        case readersFull
        /// `MDB_DBS_FULL`: more named databases than `LMDBConfiguration.maxDatabases`.
        case databasesFull
        /// `MDB_TXN_FULL`: too many dirty pages in one write transaction.
        case transactionFull
        /// `MDB_BAD_VALSIZE`: an empty key, or a key (or dupsort value) longer than the maximum key size.
        case badValueSize
        /// `MDB_INCOMPATIBLE`: the database was opened with flags that do not match how it was created.
        case incompatible
        /// `MDB_BAD_TXN`: the transaction can no longer be used (it failed, or was aborted).
        case badTransaction
        /// `MDB_CORRUPTED`, `MDB_PAGE_NOTFOUND`, `MDB_PANIC`, `MDB_INVALID`, `MDB_VERSION_MISMATCH`: the file is
        /// damaged or not an LMDB file of this version.
        case corrupted
        /// Any other LMDB code.
        case otherLMDB
        /// A system `errno` value.
        case system(Int32)

        init(code: Int32) {
            switch code {
            case MDB_KEYEXIST: self = .keyExists
            case MDB_NOTFOUND: self = .notFound
            case MDB_MAP_FULL: self = .mapFull
            case MDB_MAP_RESIZED: self = .mapResized
            case MDB_READERS_FULL: self = .readersFull
            case MDB_DBS_FULL: self = .databasesFull
            case MDB_TXN_FULL: self = .transactionFull
            case MDB_BAD_VALSIZE: self = .badValueSize
            case MDB_INCOMPATIBLE: self = .incompatible
            case MDB_BAD_TXN: self = .badTransaction
            case MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_PANIC, MDB_INVALID, MDB_VERSION_MISMATCH: self = .corrupted
            case let code where code > 0: self = .system(code)
            default: self = .otherLMDB
            }
        }
    }
}

/// Throws an `LMDBError` for a non-zero LMDB return code.
@inline(__always)
func lmdbCheck(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if code != 0 { throw LMDBError(code: code, operation: operation()) }
}

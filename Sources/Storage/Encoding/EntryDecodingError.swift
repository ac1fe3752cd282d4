/// Why stored bytes are not an entry this release can read: the file is damaged, or was written by a later
/// release. Never a trap: the decoder checks every length and count against the bytes it has.
package struct EntryDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    package enum Reason: Hashable, Sendable {
        /// No bytes at all.
        case empty
        /// A format version this release does not know (a later release wrote it).
        case unsupportedVersion(UInt8)
        /// The bytes end in the middle of an item.
        case truncated
        /// A variable-length integer longer than 64 bits.
        case varintOverflow
        /// A length larger than the bytes left.
        case lengthTooLarge(UInt64)
        /// A count of items that the bytes left cannot hold.
        case countTooLarge(UInt64)
        /// An RDN without attribute-value assertions.
        case emptyRDN
        /// An attribute type or description that is not UTF-8.
        case invalidUTF8
        /// A flags byte with unknown bits.
        case invalidFlags(UInt8)
        /// Bytes after the end of the entry.
        case trailingBytes(Int)
    }

    /// What is wrong.
    package var reason: Reason
    /// The offset in the encoded entry where the problem starts.
    package var offset: Int

    /// Makes an error.
    package init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// E.g. `stored entry: unsupported entry format version 7 (this release reads version 1) at byte 0`.
    package var description: String {
        let text: String
        switch reason {
        case .empty: text = "no bytes"
        case .unsupportedVersion(let version):
            text = "unsupported entry format version \(version) (this release reads version \(EntryCoder.version))"
        case .truncated: text = "truncated"
        case .varintOverflow: text = "integer longer than 64 bits"
        case .lengthTooLarge(let length): text = "length \(length) beyond the end of the bytes"
        case .countTooLarge(let count): text = "count \(count) larger than the bytes left can hold"
        case .emptyRDN: text = "RDN without any attribute-value assertion"
        case .invalidUTF8: text = "attribute name is not UTF-8"
        case .invalidFlags(let flags): text = "unknown flags \(flags)"
        case .trailingBytes(let count): text = "\(count) bytes after the end of the entry"
        }
        return "stored entry: \(text) at byte \(offset)"
    }
}

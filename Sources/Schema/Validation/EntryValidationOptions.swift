/// What ``SchemaContext/validate(_:options:)`` checks beyond the schema itself; the write path decides.
public struct EntryValidationOptions: Hashable, Sendable {
    /// Whether attributes of a NO-USER-MODIFICATION type (`createTimestamp`, `entryUUID`,
    /// `pwdChangedTime`…) are refused with constraintViolation (RFC 4512 §4.1.2, RFC 4511 §4.7). True for
    /// what a client sends (Add, Modify); false when the server validates an entry it has completed with its
    /// own operational attributes.
    public var refusesNoUserModification: Bool
    /// Whether a value longer than its syntax's length bound (`{256}`) is refused with constraintViolation.
    public var enforcesLengthBounds: Bool

    /// Creates options; the defaults are those of a client's write.
    public init(refusesNoUserModification: Bool = true, enforcesLengthBounds: Bool = true) {
        self.refusesNoUserModification = refusesNoUserModification
        self.enforcesLengthBounds = enforcesLengthBounds
    }

    /// A client's Add or Modify: NO-USER-MODIFICATION attributes are refused.
    public static let clientWrite = EntryValidationOptions()
    /// The server's own write: NO-USER-MODIFICATION attributes are accepted.
    public static let serverWrite = EntryValidationOptions(refusesNoUserModification: false)
}

/// One text message for the gateway: the recipient in E.164 form and the text.
public struct SMSMessage: Sendable, Hashable {
    /// The recipient, `+` and up to 15 digits (E.164).
    public var recipient: String
    /// The text, as the person will read it.
    public var text: String

    /// Makes a message.
    public init(recipient: String, text: String) {
        self.recipient = recipient
        self.text = text
    }
}

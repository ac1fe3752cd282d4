/// A security code to send to a person (self-service reset, docs/password-reset.md). Its description leaves the
/// code out, so logging a notice never logs a code.
package struct ResetCodeNotice: Sendable, CustomStringConvertible {
    /// The person's `mobile` value, as stored (the gateway side turns it into E.164).
    package var mobile: String
    /// The code, digits only.
    package var code: String
    /// Seconds the code stays valid.
    package var validitySeconds: Int
    /// The person's entry, for the logs.
    package var dn: String

    /// Makes a notice.
    package init(mobile: String, code: String, validitySeconds: Int, dn: String) {
        self.mobile = mobile
        self.code = code
        self.validitySeconds = validitySeconds
        self.dn = dn
    }

    /// The entry and the last two digits of the number; never the code.
    package var description: String {
        "reset code for '\(dn)' to …\(String(mobile.filter(\.isNumber).suffix(2)))"
    }
}

/// Where the directory hands a security code for sending. ``deliver(_:)`` must return at once: the sending (an
/// HTTP call with retries) happens off the request path, so the answer's delay does not tell whether a code was
/// sent (domain.md D8), and a failure is logged there, never reported to the requester.
package protocol ResetCodeDelivery: Sendable {
    /// Queues `notice` for sending; never blocks.
    func deliver(_ notice: ResetCodeNotice)
}

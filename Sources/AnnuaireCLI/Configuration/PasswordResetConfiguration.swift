import LDAPProtocol

/// The `password-reset-…` and `sms-…` keys, checked (docs/password-reset.md): the self-service reset by SMS
/// code. Off while `password-reset-service-accounts` is empty.
struct PasswordResetConfiguration: Hashable, Sendable {
    /// `password-reset-service-accounts`: who may call the two operations; empty: off.
    var serviceAccounts: [DistinguishedName] = []
    /// `password-reset-code-length`: digits, 6–8.
    var codeLength = 6
    /// `password-reset-code-validity`: seconds.
    var codeValidity = 600
    /// `password-reset-code-attempts`: wrong codes before the code is dead.
    var codeAttempts = 3
    /// `password-reset-rate-per-identifier`: code requests per identifier per window.
    var perIdentifier = RateSetting(count: 3, seconds: 3600)
    /// `password-reset-rate-per-address`: code requests and resets per client address per window.
    var perAddress = RateSetting(count: 20, seconds: 3600)
    /// `sms-gateway-url`.
    var gatewayURL: String?
    /// `sms-gateway-token-file`: the bearer token's file (its content is never printed).
    var gatewayTokenFile: String?
    /// `sms-gateway-timeout`: seconds per attempt.
    var gatewayTimeout = 10
    /// `sms-gateway-retries`.
    var gatewayRetries = 2
    /// `sms-template`: the message, with `{code}` and `{minutes}`.
    var template = PasswordResetConfiguration.defaultTemplate
    /// `sms-default-country-code`: the country code replacing a national number's leading 0.
    var defaultCountryCode = "33"

    /// Whether the operations are on.
    var isEnabled: Bool { !serviceAccounts.isEmpty }

    /// `sms-template` by default (the SMSGateway module's text).
    static let defaultTemplate =
        "DGFiP - Votre code de sécurité pour réinitialiser votre mot de passe : {code}. "
        + "Il est valable {minutes} minutes. Ne le communiquez à personne."

    /// `COUNT/SECONDS` (`0/…` or `off`: no limit).
    struct RateSetting: Hashable, Sendable, CustomStringConvertible {
        var count: Int
        var seconds: Int

        /// Parses `COUNT/SECONDS` or `off`; `nil` when malformed or out of range.
        init?(parsing text: String) {
            let trimmed = text.trimmingASCIISpaces()
            if trimmed.lowercased() == "off" {
                self.init(count: 0, seconds: 3600)
                return
            }
            let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let count = Int(parts[0].trimmingASCIISpaces()),
                let seconds = Int(parts[1].trimmingASCIISpaces()),
                (0...1_000_000).contains(count), (1...86_400 * 7).contains(seconds)
            else { return nil }
            self.init(count: count, seconds: seconds)
        }

        init(count: Int, seconds: Int) {
            self.count = count
            self.seconds = seconds
        }

        var description: String { count == 0 ? "off" : "\(count)/\(seconds)" }
    }
}

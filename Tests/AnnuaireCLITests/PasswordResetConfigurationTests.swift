import Foundation
import Testing

@testable import AnnuaireCLI

/// The `password-reset-…` and `sms-…` keys (docs/password-reset.md, docs/configuration.md).
@Suite("Password reset configuration")
struct PasswordResetConfigurationTests {
    @Test("off by default, with the documented defaults")
    func defaults() throws {
        let reset = try TestSupport.load().configuration.passwordReset
        #expect(!reset.isEnabled)
        #expect(reset.codeLength == 6 && reset.codeValidity == 600 && reset.codeAttempts == 3)
        #expect(reset.perIdentifier.description == "3/3600" && reset.perAddress.description == "20/3600")
        #expect(reset.gatewayTimeout == 10 && reset.gatewayRetries == 2 && reset.defaultCountryCode == "33")
        #expect(reset.template.contains("{code}"))
    }

    @Test("every key from flags and the environment; the token file's content is never printed")
    func fromFlagsAndEnvironment() throws {
        let directory = try TestSupport.temporaryDirectory()
        let token = try TestSupport.write("jeton-secret-42\n", name: "token", in: directory)
        let loaded = try TestSupport.load(
            environment: [
                "ANNUAIRE_PASSWORD_RESET_SERVICE_ACCOUNTS": "uid=portal,ou=admins,dc=x;uid=portail2,ou=admins,dc=x",
                "ANNUAIRE_SMS_GATEWAY_TOKEN_FILE": token,
            ],
            flags: [
                "--sms-gateway-url", "https://sms.example.fr/v1", "--password-reset-code-length", "8",
                "--password-reset-rate-per-identifier", "off", "--password-reset-rate-per-address", "5/60",
                "--sms-template", "Code {code}", "--sms-default-country-code", "+262",
            ])
        let reset = loaded.configuration.passwordReset
        #expect(reset.isEnabled && reset.serviceAccounts.count == 2)
        #expect(reset.codeLength == 8 && reset.perIdentifier.count == 0 && reset.perAddress.description == "5/60")
        #expect(reset.template == "Code {code}" && reset.defaultCountryCode == "262")
        let rendered = ConfigurationRenderer.render(loaded)
        #expect(!rendered.contains("jeton-secret-42"))
        #expect(try TestSupport.load(file: rendered).configuration == loaded.configuration)
    }

    @Test("bad values name the key")
    func refusals() throws {
        let cases: [([String], String)] = [
            (["--password-reset-service-accounts", "uid=portal,dc=x"], "sms-gateway-url"),
            (["--password-reset-code-length", "5"], "password-reset-code-length"),
            (["--password-reset-rate-per-address", "3 per hour"], "password-reset-rate-per-address"),
            (["--sms-gateway-url", "ftp://x"], "sms-gateway-url"),
            (["--sms-template", "pas de code"], "sms-template"),
            (["--sms-default-country-code", "France"], "sms-default-country-code"),
            (["--sms-gateway-token-file", "/nonexistent/token"], "sms-gateway-token-file"),
        ]
        for (flags, key) in cases {
            let issues = TestSupport.issues(flags: flags)
            #expect(issues.contains { $0.key == key }, "\(flags): \(issues)")
        }
    }
}

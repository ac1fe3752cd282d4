import ArgumentParser
import AsyncHTTPClient
import Directory
import Foundation
import Logging
import SMSGateway

/// The directory's reset codes sent through the SMS gateway (docs/password-reset.md): the number made E.164, the
/// text from the template, the message queued on the dispatcher (the LDAP operation does not wait).
struct SMSResetCodeDelivery: ResetCodeDelivery {
    let dispatcher: SMSDispatcher
    let template: SMSTemplate
    let defaultCountryCode: String
    let logger: Logger

    func deliver(_ notice: ResetCodeNotice) {
        guard let recipient = PhoneNumber.e164(notice.mobile, defaultCountryCode: defaultCountryCode) else {
            logger.error("SMS for '\(notice.dn)' not sent: \(SMSDeliveryError.invalidRecipient)")
            return
        }
        let text = template.render(code: notice.code, validitySeconds: notice.validitySeconds)
        dispatcher.enqueue(SMSDispatcher.Job(message: SMSMessage(recipient: recipient, text: text), subject: notice.dn))
    }
}

/// What `serve` runs for the self-service reset: the HTTP client, the dispatcher and its task; stopped after the
/// listeners so queued codes still go out.
struct SMSGatewayService {
    let http: HTTPClient
    let dispatcher: SMSDispatcher
    let task: Task<Void, Never>
    let settings: SelfServiceResetSettings

    /// Starts the gateway side of `configuration` (enabled); exit 78 when the token file cannot be read.
    static func start(_ configuration: PasswordResetConfiguration, logger: Logger) throws -> SMSGatewayService {
        guard let url = configuration.gatewayURL, let tokenFile = configuration.gatewayTokenFile else {
            StandardError.write(
                "annuaire serve: invalid configuration: sms-gateway-url and sms-gateway-token-file are needed")
            throw ExitCode(78)
        }
        guard let data = FileManager.default.contents(atPath: tokenFile),
            let token = String(decoding: data, as: UTF8.self)
                .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map({ $0.trimmingASCIISpaces() }),
            !token.isEmpty
        else {
            StandardError.write(
                "annuaire serve: invalid configuration: sms-gateway-token-file: cannot read a token from '\(tokenFile)'"
            )
            throw ExitCode(78)
        }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let gateway = SMSGatewayConfiguration(
            url: url, bearerToken: token, timeoutSeconds: Int64(configuration.gatewayTimeout),
            retries: configuration.gatewayRetries)
        let gatewayLogger = Logger(label: "annuaire.sms")
        let dispatcher = SMSDispatcher(
            client: SMSGatewayClient(configuration: gateway, http: http, logger: gatewayLogger), logger: gatewayLogger)
        let task = Task { await dispatcher.run() }
        let delivery = SMSResetCodeDelivery(
            dispatcher: dispatcher, template: SMSTemplate(configuration.template),
            defaultCountryCode: configuration.defaultCountryCode, logger: gatewayLogger)
        let settings = SelfServiceResetSettings(
            serviceAccounts: configuration.serviceAccounts,
            codeLength: configuration.codeLength,
            codeValidity: Int64(configuration.codeValidity),
            maximumAttempts: configuration.codeAttempts,
            perIdentifier: RateLimit(
                count: configuration.perIdentifier.count, windowSeconds: Int64(configuration.perIdentifier.seconds)),
            perAddress: RateLimit(
                count: configuration.perAddress.count, windowSeconds: Int64(configuration.perAddress.seconds)),
            delivery: delivery)
        logger.notice("self-service password reset on: \(gateway)")
        return SMSGatewayService(http: http, dispatcher: dispatcher, task: task, settings: settings)
    }

    /// Lets queued messages go out for at most `grace` (a gateway that is down could hold them for each
    /// attempt's timeout), cancels what is left (logged as not delivered), then closes the HTTP client.
    func stop(within grace: Duration) async {
        dispatcher.finish()
        let task = self.task
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await task.value }
            group.addTask {
                try? await Task.sleep(for: grace)
                task.cancel()
            }
            await group.next()
            group.cancelAll()
        }
        try? await http.shutdown()
    }
}

import Foundation
import LDAPProtocol

/// What `annuaire notify-expiry` sends, when, and from whom.
package struct ExpiryNoticeSettings: Sendable {
    /// Days before expiry at which a notice is due, e.g. 15, 7 and 1: one notice per threshold reached.
    package var thresholdDays: [Int]
    /// The envelope sender and `From:` address (the fixed no-reply address of D5).
    package var fromAddress: String
    /// The `From:` display name.
    package var fromName: String?
    package var subject: ExpiryNoticeTemplate
    package var body: ExpiryNoticeTemplate
    /// The zone dates and times are written in.
    package var timeZone: TimeZone
    /// The pwdPolicy entry of entries without pwdPolicySubentry (as the server's setting).
    package var defaultPolicyDN: DistinguishedName?

    /// Makes settings.
    package init(
        thresholdDays: [Int] = [15, 7, 1], fromAddress: String, fromName: String? = nil,
        subject: ExpiryNoticeTemplate, body: ExpiryNoticeTemplate, timeZone: TimeZone,
        defaultPolicyDN: DistinguishedName? = nil
    ) {
        self.thresholdDays = Array(Set(thresholdDays.filter { $0 > 0 })).sorted()
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.subject = subject
        self.body = body
        self.timeZone = timeZone
        self.defaultPolicyDN = defaultPolicyDN
    }

    /// The built-in French subject (config/mail/expiry-notice.subject.txt says the same).
    package static let defaultSubject =
        "Votre mot de passe du Portail de la Gestion Publique expire dans {delai}"

    /// The built-in French body (config/mail/expiry-notice.body.txt says the same).
    package static let defaultBody = """
        Bonjour {prenom} {nom},

        Le mot de passe de votre identifiant {identifiant} arrive à prescription : il expirera le \
        {dateExpiration} à {heureExpiration}, dans {delai}.

        Pour continuer à accéder au Portail Internet de la Gestion Publique, changez-le avant cette date \
        depuis la page d'authentification (https://portail.dgfip.finances.gouv.fr).

        Attention : la DGFiP ne vous demandera jamais votre mot de passe ni un code de sécurité, par courriel \
        ou par téléphone. Ne les communiquez à personne.

        Ce message est envoyé automatiquement, merci de ne pas y répondre.

        Direction générale des Finances publiques

        """
}

/// Moments given by an operator (`--now`).
package enum ExpiryNoticeTime {
    /// Microseconds since 1970 of a Generalized Time (`20261201080000Z`), an ISO 8601 date-time
    /// (`2026-12-01T08:00:00Z`, an offset allowed) or an ISO date (`2026-12-01`, midnight UTC); `nil` otherwise.
    package static func parse(_ text: String) -> Int64? {
        if let value = PolicyTime.microseconds(Array(text.utf8)) { return value }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
        iso.formatOptions = [.withFullDate]
        if text.count == 10, let date = iso.date(from: text) {
            return Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        }
        return nil
    }
}

extension ExpiryNoticeTime {
    /// The stored Generalized Time form of a moment, to the microsecond (as pwdChangedTime is written).
    package static func text(_ microseconds: Int64) -> String { PolicyTime.text(microseconds) }
}

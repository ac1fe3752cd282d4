import Foundation

/// A subject or body template with `{placeholder}` fields (docs/expiry-notices.md). `{{` and `}}` are literal
/// braces. An unknown placeholder is refused when the template is read, so a typo is found by `config check`,
/// not in a person's mailbox.
package struct ExpiryNoticeTemplate: Equatable, Sendable {
    /// The placeholders and what each becomes.
    package static let placeholders: [String: String] = [
        "prenom": "givenName of the entry",
        "nom": "sn of the entry",
        "nomComplet": "cn of the entry (else prénom nom)",
        "identifiant": "the sign-in identifier (aspasieIdentifier, else uid)",
        "mail": "the address the notice is sent to",
        "joursRestants": "whole days left before expiry, rounded down (1 when less than a day)",
        "delai": "the same in words: « 1 jour », « 7 jours »",
        "dateExpiration": "the expiry date in French: « lundi 7 décembre 2026 »",
        "heureExpiration": "the expiry time: « 14 h 30 »",
        "seuil": "the threshold in days that this notice is for",
    ]

    private enum Piece: Equatable, Sendable {
        case text(String)
        case field(String)
    }

    private let pieces: [Piece]

    /// Parses `text`; throws a message naming the problem.
    package init(_ text: String) throws(ExpiryNoticeError) {
        var pieces: [Piece] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "{" {
                if next < text.endIndex, text[next] == "{" {
                    literal.append("{")
                    index = text.index(after: next)
                    continue
                }
                guard let close = text[next...].firstIndex(of: "}") else {
                    throw .template("an unclosed '{' in the template")
                }
                let name = String(text[next..<close])
                guard Self.placeholders[name] != nil else {
                    throw .template(
                        "unknown placeholder {\(name)}; known: "
                            + Self.placeholders.keys.sorted().map { "{\($0)}" }.joined(separator: " "))
                }
                if !literal.isEmpty { pieces.append(.text(literal)) }
                literal = ""
                pieces.append(.field(name))
                index = text.index(after: close)
                continue
            }
            if character == "}", next < text.endIndex, text[next] == "}" {
                literal.append("}")
                index = text.index(after: next)
                continue
            }
            literal.append(character)
            index = next
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        self.pieces = pieces
    }

    /// The text with every placeholder replaced by its value in `values` (empty when missing).
    package func render(_ values: [String: String]) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): text
            case .field(let name): values[name] ?? ""
            }
        }.joined()
    }
}

/// French wording of dates and delays for the notices.
package enum FrenchDate {
    private static let weekdays = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]
    private static let months = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]

    /// « lundi 7 décembre 2026 » (« 1er » for the first of a month) in `timeZone`.
    package static func date(_ date: Date, timeZone: TimeZone) -> String {
        let parts = components(date, timeZone)
        let day = parts.day == 1 ? "1er" : "\(parts.day ?? 0)"
        let weekday = weekdays[((parts.weekday ?? 1) - 1 + 7) % 7]
        let month = months[((parts.month ?? 1) - 1 + 12) % 12]
        return "\(weekday) \(day) \(month) \(parts.year ?? 0)"
    }

    /// « 14 h 30 » in `timeZone`.
    package static func time(_ date: Date, timeZone: TimeZone) -> String {
        let parts = components(date, timeZone)
        let minute = parts.minute ?? 0
        return "\(parts.hour ?? 0) h " + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// « 1 jour », « 7 jours ».
    package static func days(_ count: Int) -> String {
        count > 1 ? "\(count) jours" : "\(count) jour"
    }

    private static func components(_ date: Date, _ timeZone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
    }
}

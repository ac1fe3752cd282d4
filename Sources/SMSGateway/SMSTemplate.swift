/// The text of the code message: a template with `{code}` and `{minutes}` (the validity, rounded up).
public struct SMSTemplate: Sendable, Hashable {
    /// The default French text.
    public static let defaultText =
        "DGFiP - Votre code de sécurité pour réinitialiser votre mot de passe : {code}. "
        + "Il est valable {minutes} minutes. Ne le communiquez à personne."

    /// The template.
    public var text: String

    /// Makes a template.
    public init(_ text: String = SMSTemplate.defaultText) { self.text = text }

    /// Whether the template shows the code (a template without it would send useless messages).
    public var showsCode: Bool { text.contains("{code}") }

    /// The message for `code`, valid `validitySeconds`.
    public func render(code: String, validitySeconds: Int) -> String {
        let minutes = max(1, (validitySeconds + 59) / 60)
        return text.replacing("{code}", with: code).replacing("{minutes}", with: String(minutes))
    }
}

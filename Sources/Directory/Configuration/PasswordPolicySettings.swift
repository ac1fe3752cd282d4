import LDAPProtocol

/// The server-wide side of the password policy (docs/password-policy.md). The per-population rules live in
/// `pwdPolicy` entries of the tree (draft-behera-ldap-password-policy-10, as slapd's ppolicy overlay reads
/// them); what cannot be said in such an entry — which one applies by default, who may learn that an account
/// is locked, the quality rules beyond length, the anti-fraud quiet period — is configured here.
package struct PasswordPolicySettings: Sendable {
    /// The `pwdPolicy` entry applying to entries without `pwdPolicySubentry` (slapd's `olcPPolicyDefault`);
    /// `nil`: such entries have no policy (no expiry, no lockout, no quality check), as before this module.
    package var defaultPolicyDN: DistinguishedName?
    /// Bound identities (besides the root DN, always trusted) to whom a Bind's response control may say
    /// accountLocked (domain.md D8: to anyone else a locked account answers exactly like a wrong password,
    /// so the control cannot be used to learn that an identifier exists). slapd has one switch for everyone
    /// (`olcPPolicyUseLockout`); this is the narrower form. The identity is the connection's before the Bind.
    package var trustedClients: [DistinguishedName]
    /// The quality rules applied, beyond pwdMinLength/pwdMaxLength, when the policy's pwdCheckQuality is 1 or 2.
    package var quality: PasswordQuality
    /// Seconds after a change of `mail` during which a password change of that entry by anyone but the person
    /// (correspondent) is refused with unwillingToPerform (domain.md D8: a fraudster who had the
    /// address changed must not then get a reset sent to it). 0 turns it off. Default 24 h.
    package var mailChangeQuietPeriod: Int64
    /// Whether a successful Bind stores `pwdLastSuccess`, and how stale the stored value may get before a Bind
    /// writes it again (seconds): `nil` never writes it (the default: a write per Bind would serialise every
    /// sign-in through LMDB's single writer), 0 writes on every Bind.
    package var lastSuccessPrecision: Int64?

    /// Makes the settings; the defaults keep a library user's behaviour unchanged until a policy DN is set.
    package init(
        defaultPolicyDN: DistinguishedName? = nil,
        trustedClients: [DistinguishedName] = [],
        quality: PasswordQuality = PasswordQuality(),
        mailChangeQuietPeriod: Int64 = 86_400,
        lastSuccessPrecision: Int64? = nil
    ) {
        self.defaultPolicyDN = defaultPolicyDN
        self.trustedClients = trustedClients
        self.quality = quality
        self.mailChangeQuietPeriod = mailChangeQuietPeriod
        self.lastSuccessPrecision = lastSuccessPrecision
    }
}

/// Quality rules for new passwords beyond their length, applied to non-root changes when the entry's policy has
/// pwdCheckQuality ≥ 1 (slapd delegates this to a check module; this is ours, configured rather than loaded).
/// A refusal is constraintViolation with the control's insufficientPasswordQuality.
package struct PasswordQuality: Hashable, Sendable {
    /// How many of the four classes (lower-case letters, upper-case letters, digits, anything else) a password
    /// must mix; 0 or 1 imposes nothing. Default 3.
    package var minimumCharacterClasses: Int
    /// Attributes holding the person's identifiers (default `uid`, which `aspasieIdentifier` is a subtype
    /// of — both are read): a password containing one, ignoring case, is refused.
    package var identifierAttributes: [String]
    /// Attributes holding the person's names (default `sn`, `givenName`): a password containing one, ignoring
    /// case, is refused.
    package var nameAttributes: [String]
    /// Values shorter than this (in characters) are not looked for (a surname "Li" would forbid too much).
    /// Default 3.
    package var minimumContainedLength: Int

    /// Makes the rules; the defaults are the recommended ones.
    package init(
        minimumCharacterClasses: Int = 3,
        identifierAttributes: [String] = ["uid", "aspasieIdentifier"],
        nameAttributes: [String] = ["sn", "givenName"],
        minimumContainedLength: Int = 3
    ) {
        self.minimumCharacterClasses = minimumCharacterClasses
        self.identifierAttributes = identifierAttributes
        self.nameAttributes = nameAttributes
        self.minimumContainedLength = minimumContainedLength
    }
}

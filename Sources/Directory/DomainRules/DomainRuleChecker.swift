import DomainRules
import LDAPProtocol
import Schema
import Storage

/// The partner directory's rules (docs/domain-rules.md) applied to the entries of its classes: people
/// (`aspasiePerson`), correspondents (`aspasieCorrespondent`) and structures (`aspasieStructure`). Other entries
/// (a plain `inetOrgPerson`, an `account`) are not concerned.
///
/// On a write, only the values the write brings are checked (all of them for a new entry, or for an entry that
/// takes one of the classes): an unrelated change — a password reset, a mobile number added — is never refused
/// because of a value stored before the rules were on. Uniqueness is looked up in the equality indexes inside the
/// write transaction (``WriteLookup``): no scan, and no other write between the check and the commit.
struct DomainRuleChecker: Sendable {
    let settings: DomainRuleSettings
    let context: SchemaContext

    private let personOID: String?
    private let correspondentOID: String?
    private let structureOID: String?

    init(settings: DomainRuleSettings, context: SchemaContext) {
        self.settings = settings
        self.context = context
        personOID = context.objectClass(named: "aspasiePerson")?.oid
        correspondentOID = context.objectClass(named: "aspasieCorrespondent")?.oid
        structureOID = context.objectClass(named: "aspasieStructure")?.oid
    }

    /// The OID of the attribute type named `name`.
    private func type(_ name: String) -> String? {
        context.attributeType(named: name)?.oid
    }

    /// The classes of the partner directory an entry belongs to.
    struct Kinds: OptionSet {
        let rawValue: Int
        static let person = Kinds(rawValue: 1)
        static let correspondent = Kinds(rawValue: 2)
        static let structure = Kinds(rawValue: 4)
    }

    /// Which of the partner directory's classes `entry` has.
    func kinds(of entry: Entry) -> Kinds {
        guard settings.enabled else { return [] }
        var kinds: Kinds = []
        for name in entry.objectClasses {
            guard let oid = context.objectClass(named: name)?.oid else { continue }
            if oid == personOID { kinds.insert(.person) }
            if oid == correspondentOID { kinds.insert(.correspondent) }
            if oid == structureOID { kinds.insert(.structure) }
        }
        return kinds
    }

    // MARK: - Mobile numbers stored in E.164 (D4)

    /// `entry` with its mobile numbers in E.164, when it is a person or a correspondent. Values that are not
    /// numbers stay as given (the check refuses them).
    func normalizingMobiles(in entry: Entry) -> Entry {
        guard !kinds(of: entry).isDisjoint(with: [.person, .correspondent]) else { return entry }
        var entry = entry
        for index in entry.attributes.indices where isMobile(entry.attributes[index].description) {
            entry.attributes[index].values = entry.attributes[index].values.map(normalizedMobile)
        }
        return entry
    }

    /// `changes` with the mobile numbers they add or replace in E.164, when `current` is (or may become) a person
    /// or a correspondent. A value to delete is normalised too, unless `current` holds it as written (a number
    /// stored before the rules, which must stay deletable).
    func normalizingMobiles(in changes: [Modification], of current: Entry) -> [Modification] {
        let concerned =
            !kinds(of: current).isDisjoint(with: [.person, .correspondent])
            || (settings.enabled && changes.contains { type($0.attribute.description.type) == Self.objectClassOID })
        guard concerned else { return changes }
        let stored = Set(values(of: Self.mobileOID, in: current).map(Self.withoutSeparators))
        return changes.map { change in
            guard isMobile(change.attribute.description) else { return change }
            var change = change
            change.attribute.values = change.attribute.values.map { value in
                if change.operation == .delete, stored.contains(Self.withoutSeparators(value)) { return value }
                return normalizedMobile(value)
            }
            return change
        }
    }

    private func normalizedMobile(_ value: [UInt8]) -> [UInt8] {
        guard let text = String(validating: value, as: UTF8.self), let number = MobileNumber.normalized(text) else {
            return value
        }
        return Array(number.utf8)
    }

    private func isMobile(_ description: AttributeDescription) -> Bool {
        type(description.type) == Self.mobileOID
    }

    /// telephoneNumberMatch's view of a value: without spaces and hyphens.
    private static func withoutSeparators(_ value: [UInt8]) -> [UInt8] {
        value.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") }
    }

    // MARK: - The checks

    /// Throws constraintViolation with the rule's message when `new` (the entry as it will be stored, `old` the
    /// entry before the write, nil for an add) breaks a rule with a value the write brings; unwillingToPerform when
    /// a uniqueness cannot be checked for want of an equality index.
    func check(old: Entry?, new: Entry, lookup: borrowing WriteLookup) throws(StoreError) {
        let kinds = kinds(of: new)
        if kinds.isEmpty { return }
        // An entry that takes one of the classes now is checked whole.
        let before = old.flatMap { self.kinds(of: $0).isSuperset(of: kinds) ? $0 : nil }
        func added(_ oid: String) -> [String] {
            let previous = Set(before.map { values(of: oid, in: $0) } ?? [])
            return values(of: oid, in: new).filter { !previous.contains($0) }.map {
                String(decoding: $0, as: UTF8.self)
            }
        }
        do throws(DomainRuleViolation) {
            let mails = added(Self.mailOID)
            if !kinds.isDisjoint(with: [.person, .correspondent]) {
                // D1: the identifier, checked again when the mail it may be the local part of changes.
                let identifiers = added(Self.identifierOID)
                let allMails = values(of: Self.mailOID, in: new).map { String(decoding: $0, as: UTF8.self) }
                let recheck =
                    mails.isEmpty
                    ? identifiers
                    : values(of: Self.identifierOID, in: new).map {
                        String(decoding: $0, as: UTF8.self)
                    }
                for identifier in recheck {
                    if let violation = SignInIdentifier.violation(
                        identifier, mails: allMails, staffMailDomains: settings.staffMailDomains)
                    {
                        throw violation
                    }
                }
                for identifier in identifiers {
                    try unique(
                        identifier, in: [Self.identifierOID, Self.uidOID], rule: .identifier,
                        "aspasieIdentifier '\(identifier)' is already the identifier of another entry", lookup)
                }
                // D3: syntax, nominative, unique among people.
                for mail in mails {
                    guard let address = MailAddress(mail) else {
                        throw MailAddress.syntaxViolation(mail) ?? DomainRuleViolation(.mail, "mail", "invalid mail")
                    }
                    if let violation = settings.genericMail.violation(address) { throw violation }
                    try uniqueAmongPeople(mail, lookup)
                }
                // D4: what is stored must be E.164 (the write normalised what it could).
                for mobile in added(Self.mobileOID)
                where !mobile.hasPrefix("+") || MobileNumber.normalized(mobile) != mobile {
                    throw MobileNumber.violation(mobile)
                        ?? DomainRuleViolation(.mobile, "mobile", "mobile '\(mobile)' is not in E.164 form")
                }
            }
            if kinds.contains(.person) {
                // D2: population and codique.
                for population in added(Self.populationOID) {
                    if let violation = PopulationCode.violation(population) { throw violation }
                }
            }
            if kinds.contains(.correspondent) {
                for codique in added(Self.territoryCodiqueOID) {
                    if let violation = CodiqueFormat.violation(codique, attribute: "aspasieTerritoryCodique") {
                        throw violation
                    }
                }
            }
            for codique in added(Self.codiqueOID) {
                if let violation = CodiqueFormat.violation(codique) { throw violation }
            }
            if kinds.contains(.structure) {
                // D10, D11: managers, attached users and pending requests are people of the directory.
                for (oid, name, rule) in Self.memberTypes {
                    for value in added(oid) { try requirePerson(value, name, rule, lookup) }
                }
                // D9: SIRET form, Luhn key, unique.
                for siret in added(Self.siretOID) {
                    if let violation = SiretNumber.violation(siret) { throw violation }
                    try unique(
                        siret, in: [Self.siretOID], rule: .siret,
                        "aspasieSiret '\(siret)' is already the SIRET of another structure", lookup)
                }
            }
        } catch {
            throw StoreError(.constraintViolation, error.message)
        }
    }

    /// D12: a person who is the principal manager of a structure cannot be deleted before handing the role over
    /// (the structure would be left without one). Looked up in the equality index of aspasiePrincipalManager.
    func checkDelete(of entry: Entry, lookup: borrowing WriteLookup) throws(StoreError) {
        guard kinds(of: entry).contains(.person) else { return }
        let dn = entry.dn.description
        let structures: [(id: EntryID, entry: Entry)]?
        do {
            structures = try lookup.otherEntries(withValue: Array(dn.utf8), of: Self.principalManagerOID)
        } catch {
            throw StoreError(.other, "D12: the structures managed by '\(dn)' could not be read: \(error)")
        }
        guard let structures else {
            throw StoreError(
                .constraintViolation,
                "D12: the structures '\(dn)' manages cannot be found: aspasiePrincipalManager has no equality index")
        }
        if let first = structures.first {
            let more = structures.count > 1 ? " (and \(structures.count - 1) more)" : ""
            throw StoreError(
                .constraintViolation,
                "D12: '\(dn)' is the principal manager of '\(first.entry.dn)'\(more); name a successor "
                    + "(replace aspasiePrincipalManager) before deleting them")
        }
    }

    /// D13: the changes that keep the structures naming `entry` valid when it is deleted (its secondary-manager,
    /// attached and pending values go: no access lingers) or renamed to `newDN` (every role follows it, the
    /// principal's too). Found through the equality indexes of the four roles; `stamp` is added to each change.
    func referenceChanges(
        of entry: Entry, renamedTo newDN: DistinguishedName?, stamp: [Modification], lookup: borrowing WriteLookup
    ) throws(StoreError) -> [(dn: DistinguishedName, changes: [Modification])] {
        guard kinds(of: entry).contains(.person) else { return [] }
        let old = entry.dn.description
        var changes: [(dn: DistinguishedName, changes: [Modification])] = []
        for (oid, name, _) in Self.memberTypes where newDN != nil || oid != Self.principalManagerOID {
            let structures: [(id: EntryID, entry: Entry)]?
            do {
                structures = try lookup.otherEntries(withValue: Array(old.utf8), of: oid)
            } catch {
                throw StoreError(.other, "D13: the structures naming '\(old)' could not be read: \(error)")
            }
            guard let structures else {
                throw StoreError(
                    .constraintViolation,
                    "D13: the structures naming '\(old)' cannot be found: \(name) has no equality index")
            }
            for structure in structures {
                var edits = [Modification(.delete, name, [old])]
                if let newDN { edits.append(Modification(.add, name, [newDN.description])) }
                if let index = changes.firstIndex(where: { $0.dn == structure.entry.dn }) {
                    changes[index].changes += edits
                } else {
                    changes.append((structure.entry.dn, edits))
                }
            }
        }
        return changes.map { ($0.dn, $0.changes + stamp) }
    }

    /// D10, D11: `value` names an existing person of the directory (read in the write transaction).
    private func requirePerson(
        _ value: String, _ attribute: String, _ rule: DomainRule, _ lookup: borrowing WriteLookup
    ) throws(DomainRuleViolation) {
        let found: Entry?
        do {
            found = try lookup.entry(dn: try DistinguishedName(value))
        } catch {
            found = nil
        }
        guard let found, kinds(of: found).contains(.person) else {
            throw DomainRuleViolation(
                rule, attribute,
                "\(attribute) '\(Printable.quoted(value))' is not a person of the directory (an entry with "
                    + "aspasiePerson, which has a sign-in identifier)")
        }
    }

    /// Throws `message` when another entry holds `value` in one of the types `oids` (through their equality
    /// indexes).
    private func unique(
        _ value: String, in oids: [String], rule: DomainRule, _ message: String, _ lookup: borrowing WriteLookup
    ) throws(DomainRuleViolation) {
        for oid in oids {
            guard let others = try indexed(value, oid, rule, lookup) else { continue }
            if !others.isEmpty { throw DomainRuleViolation(rule, attributeName(oid), message) }
        }
    }

    /// D3: no other person or correspondent has this address (mail is compared without regard to case).
    private func uniqueAmongPeople(_ mail: String, _ lookup: borrowing WriteLookup) throws(DomainRuleViolation) {
        guard let others = try indexed(mail, Self.mailOID, .mail, lookup) else { return }
        if others.contains(where: { !kinds(of: $0.entry).isDisjoint(with: [.person, .correspondent]) }) {
            throw DomainRuleViolation(.mail, "mail", "mail '\(mail)' is already the address of another person")
        }
    }

    /// The other entries holding `value` in `oid`; nil for a type without an equality index when another type of
    /// the same check has one (the identifier's `uid`); a violation when the check cannot be made without a scan.
    private func indexed(
        _ value: String, _ oid: String, _ rule: DomainRule, _ lookup: borrowing WriteLookup
    ) throws(DomainRuleViolation) -> [(id: EntryID, entry: Entry)]? {
        let result: [(id: EntryID, entry: Entry)]?
        do {
            result = try lookup.otherEntries(withValue: Array(value.utf8), of: oid)
        } catch {
            throw DomainRuleViolation(
                rule, attributeName(oid), "the uniqueness of \(attributeName(oid)) could not be checked: \(error)")
        }
        if result == nil, oid != Self.uidOID {
            throw DomainRuleViolation(
                rule, attributeName(oid),
                "the uniqueness of \(attributeName(oid)) cannot be checked: it has no equality index (see [index] "
                    + "in docs/configuration.md)")
        }
        return result
    }

    private func attributeName(_ oid: String) -> String {
        context.attributeType(named: oid)?.primaryName ?? oid
    }

    /// The values of the attributes of type `oid` (any options) in `entry`.
    private func values(of oid: String, in entry: Entry) -> [[UInt8]] {
        entry.attributes.filter { type($0.description.type) == oid }.flatMap(\.values)
    }

    // The types the rules read, by OID (RFC 4512 names resolve to these; the aspasie ones are schema/aspasie.schema's).
    static let objectClassOID = "2.5.4.0"
    static let uidOID = "0.9.2342.19200300.100.1.1"
    static let mailOID = "0.9.2342.19200300.100.1.3"
    static let mobileOID = "0.9.2342.19200300.100.1.41"
    private static let aspasie = "2.25.208241287730979937341023007625728684541.1."
    static let identifierOID = aspasie + "1"
    static let populationOID = aspasie + "3"
    static let codiqueOID = aspasie + "4"
    static let territoryCodiqueOID = aspasie + "5"
    static let siretOID = aspasie + "10"
    static let principalManagerOID = aspasie + "13"
    /// The DN-valued types of a structure that must name people, with the rule each serves.
    static let memberTypes: [(oid: String, name: String, rule: DomainRule)] = [
        (aspasie + "13", "aspasiePrincipalManager", .managers), (aspasie + "14", "aspasieSecondaryManager", .managers),
        (aspasie + "15", "aspasieAttachedUser", .attachments),
        (aspasie + "16", "aspasiePendingAttachment", .attachments),
    ]
}

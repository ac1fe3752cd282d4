import DomainRules
import LDAPProtocol
import Schema
import Storage

extension DirectoryService {
    /// The partner directory's rules as configured (``DirectoryConfiguration/domainRules``), for one write. Every
    /// client is held to them, the root DN included: `annuaire import` is the bulk path (docs/domain-rules.md).
    var domainRules: DomainRuleChecker {
        DomainRuleChecker(settings: configuration.domainRules, context: context)
    }

    /// The store's in-transaction check of a write that turns `old` (nil for an add) into the entry stored.
    func domainRuleCheck(old: Entry?) -> WriteCheck? {
        let rules = domainRules
        guard rules.settings.enabled else { return nil }
        return { entry, lookup in try rules.check(old: old, new: entry, lookup: lookup) }
    }

    /// The store's in-transaction check of a delete (D12: not the principal manager of a structure).
    func domainRuleDeleteCheck() -> WriteCheck? {
        let rules = domainRules
        guard rules.settings.enabled else { return nil }
        return { entry, lookup in try rules.checkDelete(of: entry, lookup: lookup) }
    }

    /// The structures' changes a delete of a person (or its rename to `newDN`) makes in its transaction (D13).
    func domainRuleCascade(renamedTo newDN: DistinguishedName?, by identity: BoundIdentity) -> WriteCascade? {
        let rules = domainRules
        guard rules.settings.enabled else { return nil }
        let stamp = stamp(by: identity).modifications
        return { entry, lookup in try rules.referenceChanges(of: entry, renamedTo: newDN, stamp: stamp, lookup: lookup)
        }
    }
}

import LDAPProtocol
import Schema

/// One compiled `access to <what> by <who> <level> …` statement. A class, immutable once compiled: every
/// attribute check of every entry walks the rules, and a reference costs one retain where a struct of sets and
/// arrays costs one per field.
final class AccessRule: Sendable {
    /// Which entries: `nil` for any.
    let dn: DNPattern?
    /// Entries the filter is TRUE for (evaluated on the stored entry); `nil` for any.
    let filter: PreparedFilter?
    /// Which attributes of those entries.
    let attributes: AccessAttributeSet
    /// With `val…=`: which values of the one type `attributes` names (the rule then decides only checks about
    /// a value); `nil` for a rule about whole attributes.
    let value: AccessValueSelector?
    /// The `by` clauses, in order.
    let clauses: [AccessClause]
    /// Where the rule starts, for diagnostics.
    let line: Int

    init(
        dn: DNPattern?, filter: PreparedFilter?, attributes: AccessAttributeSet, value: AccessValueSelector? = nil,
        clauses: [AccessClause], line: Int
    ) {
        self.dn = dn
        self.filter = filter
        self.attributes = attributes
        self.value = value
        self.clauses = clauses
        self.line = line
    }
}

/// One `by <who> <level>` clause.
struct AccessClause: Sendable {
    var who: AccessWho
    var level: AccessLevel
}

/// The `<who>` of a clause. Subjects whose answer depends on the bound entry (`group=`, `filter=`, `match=`)
/// refer by index to what the policy computes once per bind into ``AccessSubject``.
enum AccessWho: Sendable {
    /// `*`: everyone, anonymous included.
    case anyone
    /// `anonymous`: not bound (or bound anonymously).
    case anonymous
    /// `users`: any authenticated identity.
    case users
    /// `self`: the bound DN is the target entry's.
    case this
    /// `dn=`, `dn.subtree=`…: the bound DN is in the pattern's scope.
    case dn(DNPattern)
    /// `group="DN"`: the bound DN is a member of the group (index into ``AccessPolicy/groups``).
    case group(Int)
    /// `filter=`: the bound entry matches (index into ``AccessPolicy/subjectFilters``).
    case filter(Int)
    /// `match="SUBJECT=TARGET"` (index into ``AccessPolicy/matches``).
    case match(Int)
}

/// A `group=` subject: the group entry and the attributes naming its members.
struct GroupReference: Sendable {
    let dn: DistinguishedName
    let name: NormalizedName
}

/// A `match="SUBJECTATTR=TARGETATTR"` subject: the bound entry's SUBJECTATTR values include one of the target
/// entry's TARGETATTR values, both normalised with TARGETATTR's equality rule.
struct MatchReference: Sendable {
    let subjectType: CompiledAttributeType
    let targetType: CompiledAttributeType
    let rule: MatchingRule
}

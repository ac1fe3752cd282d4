import Schema

/// The attributes a rule's `<what>` selects (`attrs=`): named types with their subtypes, `@class` (the types
/// the class allows), `*` (every user attribute), `+` (every operational attribute), and the pseudo-attributes
/// `entry` and `children`. A rule without `attrs=` selects everything, pseudo-attributes included.
struct AccessAttributeSet: Sendable {
    var everything = false
    var entry = false
    var children = false
    var allUser = false
    var allOperational = false
    /// Ids of the named types; a type is selected when it or one of its supertypes is named.
    var types: Set<Int> = []
    /// Ids of the types allowed by the `@class` entries.
    var classAllowed: Set<Int> = []

    static let all = AccessAttributeSet(everything: true)

    func contains(_ attribute: AccessAttribute) -> Bool {
        if everything { return true }
        switch attribute {
        case .entry: return entry
        case .children: return children
        case .type(let type):
            if type.isOperational ? allOperational : allUser { return true }
            if classAllowed.contains(type.id) || types.contains(type.id) { return true }
            return type.superiors.contains { types.contains($0) }
        }
    }
}

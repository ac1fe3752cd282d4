/// A person of one block, kept until the block is written.
struct GeneratedPerson {
    var given: FrenchNames.GivenName
    var surname: FrenchNames.Surname
    var identifier: String
    var mail: String
    var mobile: String?
    var isStaff: Bool
    /// Index of the person's main structure in the block: address, codique and population come from it.
    var primaryStructure: Int
    var password: String
    var role: CredentialLine.Role = .person
}

/// A structure of one block, kept until the block is written.
struct GeneratedStructure {
    var kind: StructureKind
    var commune: Commune
    var name: String
    var street: String
    var siret: String
    var mailDomain: String
    /// People attached, in any role, by index in the block, in order of attachment.
    var members: [Int] = []
    var principal = 0
    var secondaries: [Int] = []
    var users: [Int] = []
    var pending: [Int] = []
}

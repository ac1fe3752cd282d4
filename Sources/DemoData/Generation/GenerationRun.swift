import LDAPProtocol

/// The state of one generation: the random streams, the identity counters, the output buffer and the counts.
struct GenerationRun {
    private let options: DemoDataOptions
    private let suffix: String
    private let peopleBase: String
    private let structuresBase: String
    private let adminsBase: String
    private let ldifSink: ([UInt8]) throws -> Void
    private let credentialsSink: ((CredentialLine) throws -> Void)?

    private var random: SeededGenerator
    private var saltRandom: SeededGenerator
    private var identities = IdentityRegistry()
    private var writer = LDIFWriter()
    private var buffer: [UInt8] = []
    /// Départements written so far, by index in ``Departement/all``, in order of first appearance.
    private var departementsSeen: [Int] = []
    private var departementSeenFlags = [Bool](repeating: false, count: Departement.all.count)
    /// Structures drawn so far for each SIREN prefix, which keeps SIRETs unique.
    private var serialCounters: [Int: Int] = [:]
    private let serialOffset: Int

    private(set) var summary = DemoDataSummary()

    private static let departementIndexByCode: [String: Int] = {
        var indexes: [String: Int] = [:]
        for (index, departement) in Departement.all.enumerated() {
            indexes[departement.code] = index
        }
        return indexes
    }()

    init(
        options: DemoDataOptions,
        suffix: String,
        ldifSink: @escaping ([UInt8]) throws -> Void,
        credentialsSink: ((CredentialLine) throws -> Void)?
    ) {
        self.options = options
        self.suffix = suffix
        self.peopleBase = "ou=people," + suffix
        self.structuresBase = "ou=structures," + suffix
        self.adminsBase = "ou=admins," + suffix
        self.ldifSink = ldifSink
        self.credentialsSink = credentialsSink
        self.random = SeededGenerator(seed: options.seed)
        self.saltRandom = SeededGenerator(seed: options.seed ^ 0x5A17_5A17_5A17_5A17)
        self.serialOffset = random.below(1_000_000)
        buffer.reserveCapacity(DemoDataGenerator.flushSize + 8192)
    }

    // MARK: - Output

    mutating func write(_ entry: LDIFEntry) throws {
        writer.write(.content(entry), into: &buffer)
        summary.entries += 1
        if buffer.count >= DemoDataGenerator.flushSize {
            try flush()
        }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        summary.ldifBytes += buffer.count
        try ldifSink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func credential(
        _ identifier: String, _ dn: String, _ password: String, _ role: CredentialLine.Role
    )
        throws
    {
        summary.credentials += 1
        try credentialsSink?(CredentialLine(identifier: identifier, dn: dn, password: password, role: role))
    }

    private mutating func userPassword(_ password: String) -> LDIFAttribute {
        let salt = options.passwordScheme == .ssha ? saltRandom.bytes(PasswordScheme.saltLength) : []
        return LDIFAttribute(
            description: "userPassword", stringValues: [options.passwordScheme.encode(password, salt: salt)])
    }

    // MARK: - Skeleton and service accounts

    mutating func writeSkeleton() throws {
        for (ou, description) in [
            ("people", "People of the partner directory"),
            ("structures", "Public bodies, by SIRET"),
            ("admins", "Correspondents and service accounts"),
        ] {
            try write(
                LDIFEntry(
                    dn: "ou=\(ou),\(suffix)",
                    attributes: [
                        LDIFAttribute(description: "objectClass", stringValues: ["top", "organizationalUnit"]),
                        LDIFAttribute(description: "ou", stringValues: [ou]),
                        LDIFAttribute(description: "description", stringValues: [description]),
                    ]
                )
            )
        }
        for (uid, role, description) in [
            ("monitor", CredentialLine.Role.monitor, "Monitoring: entry counts and server health"),
            ("portal", CredentialLine.Role.portal, "Portal front end: signs people in and reads their entry"),
        ] {
            let dn = "uid=\(uid),\(adminsBase)"
            let password = PasswordGenerator.make(using: &random)
            try write(
                LDIFEntry(
                    dn: dn,
                    attributes: [
                        LDIFAttribute(
                            description: "objectClass", stringValues: ["top", "account", "simpleSecurityObject"]),
                        LDIFAttribute(description: "uid", stringValues: [uid]),
                        LDIFAttribute(description: "description", stringValues: [description]),
                        userPassword(password),
                    ]
                )
            )
            summary.serviceAccounts += 1
            try credential(uid, dn, password, role)
        }
    }

    // MARK: - Blocks of people and their structures

    mutating func writeBlock(people count: Int) throws {
        let commune = random.pick(Commune.all)
        let departementIndex = Self.departementIndexByCode[commune.departement]!
        let departement = Departement.all[departementIndex]
        if !departementSeenFlags[departementIndex] {
            departementSeenFlags[departementIndex] = true
            departementsSeen.append(departementIndex)
        }

        var structures = (0..<max(1, (count + 4) / 8)).map { _ in makeStructure(in: departement) }
        var people: [GeneratedPerson] = []
        people.reserveCapacity(count)
        for index in 0..<count {
            let primary = index < structures.count ? index : random.below(structures.count)
            structures[primary].members.append(index)
            if structures.count > 1, random.chance(25) {
                var second = random.below(structures.count - 1)
                if second >= primary { second += 1 }
                structures[second].members.append(index)
            }
            people.append(makePerson(primaryStructure: primary, of: structures[primary]))
        }
        assignRoles(structures: &structures, people: &people)

        for person in people {
            try writePerson(person, structure: structures[person.primaryStructure], departement: departement)
        }
        for structure in structures {
            try writeStructure(structure, people: people, departement: departement)
        }
    }

    private mutating func makeStructure(in departement: Departement) -> GeneratedStructure {
        let kind = StructureKind.draw(using: &random)
        let commune = Commune.all[random.pick(departement.communes)]
        let name = kind.name(in: commune, using: &random)
        let street = kind.street(using: &random)
        let counter = serialCounters[kind.sirenPrefix, default: 0]
        serialCounters[kind.sirenPrefix] = counter + 1
        // 739_391 is prime to 10⁶, so serials run over every 6-digit value before one repeats; the NIC's
        // establishment number then moves on.
        let serial = (counter % 1_000_000 * 739_391 + serialOffset) % 1_000_000
        let establishment = 1 + counter / 1_000_000 * 10 + (kind.population == "SSLEPN" ? random.below(9) : 0)
        let siret = Siret.make(prefix: kind.sirenPrefix, serial: serial, establishment: establishment)
        return GeneratedStructure(
            kind: kind, commune: commune, name: name, street: street, siret: siret,
            mailDomain: kind.mailDomain(in: commune, departement: departement)
        )
    }

    private mutating func makePerson(primaryStructure: Int, of structure: GeneratedStructure) -> GeneratedPerson {
        let given = random.pick(FrenchNames.givenNames)
        let surname = random.pick(FrenchNames.surnames)
        let isStaff = random.chance(structure.kind.population == "SSLEPN" ? 20 : 4)
        let local = identities.mailLocalPart(given: given, surname: surname)
        let identifier: String
        let mail: String
        if isStaff {
            identifier = local
            mail = local + "@" + DemoDataGenerator.staffDomain
        } else {
            identifier = identities.externalIdentifier(given: given, surname: surname)
            mail = local + "@" + structure.mailDomain
        }
        var mobile: String?
        if random.chance(60) {
            let lead = random.chance(75) ? "6" : "7" + String(random.between(3...8))
            var digits = "+33" + lead
            while digits.utf8.count < 12 {
                digits += String(random.below(10))
            }
            mobile = digits
        }
        return GeneratedPerson(
            given: given, surname: surname, identifier: identifier, mail: mail, mobile: mobile, isStaff: isStaff,
            primaryStructure: primaryStructure, password: PasswordGenerator.make(using: &random)
        )
    }

    private mutating func assignRoles(structures: inout [GeneratedStructure], people: inout [GeneratedPerson]) {
        for index in structures.indices {
            var others = structures[index].members
            let principal = others.remove(at: random.below(others.count))
            let roll = random.below(100)
            let wanted = roll < 40 ? 0 : roll < 75 ? 1 : roll < 90 ? 2 : 3
            var secondaries: [Int] = []
            for _ in 0..<min(wanted, others.count) {
                secondaries.append(others.remove(at: random.below(others.count)))
            }
            structures[index].principal = principal
            structures[index].secondaries = secondaries
            structures[index].users = others
            people[principal].role = .principalManager
            for secondary in secondaries where people[secondary].role == .person {
                people[secondary].role = .secondaryManager
            }
            if random.chance(15) {
                let outsiders = people.indices.filter { !structures[index].members.contains($0) }
                let wantedPending = random.between(1...2)
                var candidates = outsiders
                for _ in 0..<min(wantedPending, candidates.count) {
                    structures[index].pending.append(candidates.remove(at: random.below(candidates.count)))
                }
            }
        }
    }

    private func personDN(_ person: GeneratedPerson) -> String {
        "uid=\(person.identifier),\(peopleBase)"
    }

    private mutating func writePerson(
        _ person: GeneratedPerson, structure: GeneratedStructure, departement: Departement
    ) throws {
        let dn = personDN(person)
        let population = structure.kind.population
        var attributes = [
            LDIFAttribute(
                description: "objectClass",
                stringValues: ["top", "person", "organizationalPerson", "inetOrgPerson", "aspasiePerson"]
            ),
            LDIFAttribute(description: "uid", stringValues: [person.identifier]),
            LDIFAttribute(description: "aspasieIdentifier", stringValues: [person.identifier]),
            LDIFAttribute(description: "aspasieCivility", stringValues: [person.given.isFeminine ? "Mme" : "M."]),
            LDIFAttribute(description: "cn", stringValues: [person.given.name + " " + person.surname.name]),
            LDIFAttribute(description: "sn", stringValues: [person.surname.name]),
            LDIFAttribute(description: "givenName", stringValues: [person.given.name]),
            LDIFAttribute(description: "mail", stringValues: [person.mail]),
        ]
        if let mobile = person.mobile {
            attributes.append(LDIFAttribute(description: "mobile", stringValues: [mobile]))
            summary.peopleWithMobile += 1
        }
        attributes += [
            LDIFAttribute(description: "aspasiePopulation", stringValues: [population]),
            LDIFAttribute(description: "aspasieCodique", stringValues: [departement.codique]),
        ]
        attributes += address(of: structure)
        attributes.append(userPassword(person.password))
        try write(LDIFEntry(dn: dn, attributes: attributes))

        summary.people += 1
        if person.isStaff { summary.staffPeople += 1 } else { summary.externalPeople += 1 }
        if population == "SSLEPN" { summary.populationSSLEPN += 1 } else { summary.populationSSLSPL += 1 }
        switch person.role {
        case .principalManager: summary.principalManagers += 1
        case .secondaryManager: summary.secondaryManagers += 1
        default: break
        }
        try credential(person.identifier, dn, person.password, person.role)
    }

    private func address(of structure: GeneratedStructure) -> [LDIFAttribute] {
        let commune = structure.commune
        return [
            LDIFAttribute(description: "street", stringValues: [structure.street]),
            LDIFAttribute(description: "postalCode", stringValues: [commune.postalCode]),
            LDIFAttribute(description: "l", stringValues: [commune.name]),
            LDIFAttribute(description: "c", stringValues: ["FR"]),
            LDIFAttribute(
                description: "postalAddress",
                stringValues: ["\(structure.street)$\(commune.postalCode) \(commune.name.uppercased())$FRANCE"]
            ),
        ]
    }

    private mutating func writeStructure(
        _ structure: GeneratedStructure, people: [GeneratedPerson], departement: Departement
    ) throws {
        var attributes = [
            LDIFAttribute(description: "objectClass", stringValues: ["top", "aspasieStructure"]),
            LDIFAttribute(description: "aspasieSiret", stringValues: [structure.siret]),
            LDIFAttribute(description: "aspasieStructureName", stringValues: [structure.name]),
            LDIFAttribute(description: "description", stringValues: [structure.kind.label]),
            LDIFAttribute(description: "aspasieCodique", stringValues: [departement.codique]),
        ]
        attributes += address(of: structure)
        attributes.append(
            LDIFAttribute(description: "aspasiePrincipalManager", stringValues: [personDN(people[structure.principal])])
        )
        let roles: [(String, [Int])] = [
            ("aspasieSecondaryManager", structure.secondaries),
            ("aspasieAttachedUser", structure.users),
            ("aspasiePendingAttachment", structure.pending),
        ]
        for (description, members) in roles where !members.isEmpty {
            attributes.append(
                LDIFAttribute(description: description, stringValues: members.map { personDN(people[$0]) }))
        }
        try write(LDIFEntry(dn: "aspasieSiret=\(structure.siret),\(structuresBase)", attributes: attributes))
        summary.structures += 1
        summary.attachments += 1 + structure.secondaries.count + structure.users.count
        summary.pendingAttachments += structure.pending.count
    }

    // MARK: - Correspondents

    mutating func writeCorrespondents() throws {
        summary.departements = departementsSeen.count
        for departementIndex in departementsSeen {
            let departement = Departement.all[departementIndex]
            let count = random.chance(35) ? 2 : 1
            for _ in 0..<count {
                var territories = [departement.codique]
                if random.chance(20) {
                    let neighbours = departementsSeen.filter {
                        $0 != departementIndex && Departement.all[$0].academie == departement.academie
                    }
                    if !neighbours.isEmpty {
                        territories.append(Departement.all[random.pick(neighbours)].codique)
                    }
                }
                try writeCorrespondent(departement: departement, territories: territories)
            }
        }
    }

    private mutating func writeCorrespondent(departement: Departement, territories: [String]) throws {
        let given = random.pick(FrenchNames.givenNames)
        let surname = random.pick(FrenchNames.surnames)
        let identifier = identities.mailLocalPart(given: given, surname: surname)
        let dn = "uid=\(identifier),\(adminsBase)"
        let password = PasswordGenerator.make(using: &random)
        try write(
            LDIFEntry(
                dn: dn,
                attributes: [
                    LDIFAttribute(
                        description: "objectClass",
                        stringValues: [
                            "top", "person", "organizationalPerson", "inetOrgPerson", "aspasieCorrespondent",
                        ]
                    ),
                    LDIFAttribute(description: "uid", stringValues: [identifier]),
                    LDIFAttribute(description: "aspasieIdentifier", stringValues: [identifier]),
                    LDIFAttribute(description: "cn", stringValues: [given.name + " " + surname.name]),
                    LDIFAttribute(description: "sn", stringValues: [surname.name]),
                    LDIFAttribute(description: "givenName", stringValues: [given.name]),
                    LDIFAttribute(
                        description: "mail", stringValues: [identifier + "@" + DemoDataGenerator.staffDomain]),
                    LDIFAttribute(description: "title", stringValues: ["Correspondant dématérialisation"]),
                    LDIFAttribute(
                        description: "description",
                        stringValues: ["DDFiP \(departement.name) (\(departement.code))"]
                    ),
                    LDIFAttribute(description: "aspasieTerritoryCodique", stringValues: territories),
                    userPassword(password),
                ]
            )
        )
        summary.correspondents += 1
        try credential(identifier, dn, password, .correspondent)
    }
}

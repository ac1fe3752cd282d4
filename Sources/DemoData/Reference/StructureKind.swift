/// The kinds of public body the demo data creates, with how each is named, where its staff's mail lives, which
/// population its people belong to (D2) and the legal-category prefix of its SIREN.
enum StructureKind: CaseIterable, Sendable {
    case commune
    case college
    case lycee
    case ehpad
    case ccas
    case syndicat
    case crous
    case onf
    case efs

    /// How often each kind is drawn, in parts of 100.
    static let weights: [(StructureKind, Int)] = [
        (.commune, 16), (.college, 22), (.lycee, 10), (.ehpad, 12), (.ccas, 8), (.syndicat, 14),
        (.crous, 6), (.onf, 6), (.efs, 6),
    ]

    /// `SSLEPN` for national public establishments, `SSLSPL` for local establishments and schools.
    var population: String {
        switch self {
        case .crous, .onf, .efs: return "SSLEPN"
        case .commune, .college, .lycee, .ehpad, .ccas, .syndicat: return "SSLSPL"
        }
    }

    /// The two first digits of the SIREN: the INSEE legal category family (21 communes, 19 schools,
    /// 26 social establishments, 25 syndicates, 18 national public establishments).
    var sirenPrefix: Int {
        switch self {
        case .commune: return 21
        case .college, .lycee: return 19
        case .ehpad, .ccas: return 26
        case .syndicat: return 25
        case .crous, .onf, .efs: return 18
        }
    }

    /// What the entry's `description` says.
    var label: String {
        switch self {
        case .commune: return "Commune"
        case .college: return "Collège (EPLE)"
        case .lycee: return "Lycée (EPLE)"
        case .ehpad: return "Établissement d'hébergement pour personnes âgées dépendantes"
        case .ccas: return "Centre communal d'action sociale"
        case .syndicat: return "Syndicat intercommunal"
        case .crous: return "Centre régional des œuvres universitaires et scolaires (EPN)"
        case .onf: return "Office national des forêts (EPN)"
        case .efs: return "Établissement français du sang (EPN)"
        }
    }

    /// Draws a kind.
    static func draw(using random: inout SeededGenerator) -> StructureKind {
        var roll = random.below(100)
        for (kind, weight) in weights {
            if roll < weight { return kind }
            roll -= weight
        }
        return .commune
    }

    /// A name for a body of this kind in `commune`.
    func name(in commune: Commune, using random: inout SeededGenerator) -> String {
        switch self {
        case .commune:
            return "Commune de \(commune.name)"
        case .college:
            return "Collège \(random.pick(StructureKind.schoolPatrons)), \(commune.name)"
        case .lycee:
            return "Lycée \(random.pick(StructureKind.schoolPatrons)), \(commune.name)"
        case .ehpad:
            return "EHPAD \(random.pick(StructureKind.residenceNames)), \(commune.name)"
        case .ccas:
            return "Centre communal d'action sociale de \(commune.name)"
        case .syndicat:
            return "Syndicat intercommunal \(random.pick(StructureKind.syndicatPurposes)) de \(commune.name)"
        case .crous:
            return "CROUS, résidence universitaire de \(commune.name)"
        case .onf:
            return "Office national des forêts, agence de \(commune.name)"
        case .efs:
            return "Établissement français du sang, site de \(commune.name)"
        }
    }

    /// The domain of the professional mail addresses of the body's staff.
    func mailDomain(in commune: Commune, departement: Departement) -> String {
        switch self {
        case .commune: return "ville-\(commune.slug).fr"
        case .college, .lycee: return "ac-\(departement.academie).fr"
        case .ehpad: return "ehpad-\(commune.slug).fr"
        case .ccas: return "ccas-\(commune.slug).fr"
        case .syndicat: return "si-\(commune.slug).fr"
        case .crous: return "crous-\(departement.academie).fr"
        case .onf: return "onf.fr"
        case .efs: return "efs.sante.fr"
        }
    }

    /// The street of the body's address.
    func street(using random: inout SeededGenerator) -> String {
        switch self {
        case .commune:
            return random.pick(["Place de l'Hôtel de Ville", "Place de la Mairie", "1 place de la République"])
        default:
            return "\(random.between(1...120)) \(random.pick(StructureKind.streets))"
        }
    }

    static let schoolPatrons = [
        "Jean Moulin", "Victor Hugo", "Jules Ferry", "Louise Michel", "Marie Curie", "Albert Camus", "Jean Jaurès",
        "Georges Brassens", "Simone Veil", "Jacques Prévert", "Paul Éluard", "Antoine de Saint-Exupéry",
        "Jean de La Fontaine", "Condorcet", "Voltaire", "Pierre Mendès France", "Lucie Aubrac", "Olympe de Gouges",
        "Anne Frank", "Jean Rostand", "Marcel Pagnol", "Pablo Picasso", "Joliot-Curie", "Camille Claudel",
        "Gustave Eiffel", "Germaine Tillion", "Jules Verne", "Alexandre Dumas", "Molière", "Colette",
    ]

    static let residenceNames = [
        "Les Tilleuls", "La Roseraie", "Les Jardins du Parc", "Le Clos Fleuri", "Les Lilas", "Résidence du Parc",
        "Les Magnolias", "La Source", "Les Charmilles", "Le Bois Joli", "Les Glycines", "La Maison du Lac",
    ]

    static let syndicatPurposes = [
        "des eaux", "d'assainissement", "à vocation scolaire", "d'électrification", "de ramassage scolaire",
        "d'aménagement hydraulique", "de voirie",
    ]

    static let streets = [
        "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Gambetta", "rue Pasteur",
        "rue du Général de Gaulle", "avenue de la Libération", "rue Jules Ferry", "rue des Écoles",
        "chemin des Vignes", "allée des Tilleuls", "rue du Moulin", "rue de l'Église", "place du Marché",
        "rue Émile Zola", "avenue Foch", "rue Carnot", "rue Voltaire", "rue Jean Moulin", "rue de la Gare",
        "rue Nationale", "cours Clemenceau", "avenue du Maréchal Leclerc", "rue Anatole France", "rue de Verdun",
        "boulevard de la Liberté", "rue des Lilas", "impasse des Peupliers", "rue du Stade", "route de la Forêt",
        "quai des Chartrons", "rue Paul Bert", "rue Louis Pasteur", "avenue des Acacias", "rue du Château",
    ]
}

/// Built-in French given names and surnames, with their folded forms computed once.
enum FrenchNames {
    /// A given name with its civility and the ASCII forms used in identifiers and mail addresses.
    struct GivenName: Sendable {
        let name: String
        let isFeminine: Bool
        /// `jean-pierre`
        let mailPart: String
        /// `jp`
        let initials: String
    }

    /// A surname with the ASCII forms used in identifiers and mail addresses.
    struct Surname: Sendable {
        let name: String
        /// `le-gall`
        let mailPart: String
        /// `legall`
        let letters: String
    }

    static let givenNames: [GivenName] = {
        let feminine = """
            Marie Nathalie Isabelle Sylvie Catherine Françoise Valérie Christine Sandrine Véronique Sophie Céline \
            Stéphanie Patricia Nicole Anne Aurélie Julie Émilie Caroline Laurence Martine Camille Élodie Virginie \
            Hélène Chantal Corinne Audrey Léa Manon Chloé Emma Inès Sarah Clémence Pauline Mathilde Charlotte Lucie \
            Laure Agnès Brigitte Claire Delphine Florence Géraldine Juliette Karine Mélanie Murielle Nadia \
            Océane Pascale Sabrina Séverine Solène Thérèse Yasmina Zoé Anaïs Margaux Justine Élise Bérénice Gaëlle \
            Maëlle Annick Josiane Monique Fatima Amandine Estelle Fabienne Marie-Claire Anne-Sophie Marie-Hélène
            """
        let masculine = """
            Jean Philippe Michel Alain Patrick Nicolas Christophe Pierre Christian Éric Frédéric Laurent Stéphane \
            David Pascal Daniel Julien Olivier Thierry Sébastien Thomas François Bruno Guillaume Jérôme Vincent \
            Antoine Mathieu Alexandre Maxime Hugo Lucas Louis Gabriel Arthur Raphaël Théo Baptiste Benoît Cédric \
            Damien Denis Didier Emmanuel Fabrice Gilles Grégory Hervé Jacques Joël Karim Lionel Loïc Marc Mickaël \
            Noël Raymond Régis Rémi Serge Sylvain Yann Yves Gaël Aurélien Bertrand Dominique Franck Gérard Hamid \
            Jean-Pierre Jean-Luc Jean-Marc Jean-François Pierre-Yves Paul Romain Quentin Adrien Florian
            """
        func entries(_ text: String, feminine: Bool) -> [GivenName] {
            text.split(separator: " ").map { part in
                let name = String(part)
                return GivenName(
                    name: name, isFeminine: feminine, mailPart: TextFolding.slug(name),
                    initials: TextFolding.initials(name)
                )
            }
        }
        return entries(feminine, feminine: true) + entries(masculine, feminine: false)
    }()

    static let surnames: [Surname] = {
        let text = """
            Martin|Bernard|Thomas|Petit|Robert|Richard|Durand|Dubois|Moreau|Laurent|Simon|Michel|Lefebvre|Leroy|\
            Roux|David|Bertrand|Morel|Fournier|Girard|Bonnet|Dupont|Lambert|Fontaine|Rousseau|Vincent|Muller|\
            Lefèvre|Faure|André|Mercier|Blanc|Guérin|Boyer|Garnier|Chevalier|François|Legrand|Gauthier|Garcia|\
            Perrin|Robin|Clément|Morin|Nicolas|Henry|Roussel|Mathieu|Gautier|Masson|Marchand|Duval|Denis|Dumont|\
            Marie|Lemaire|Noël|Meyer|Dufour|Meunier|Brun|Blanchard|Giraud|Joly|Rivière|Lucas|Brunet|Gaillard|\
            Barbier|Arnaud|Martinez|Gérard|Roche|Renard|Schmitt|Roy|Leroux|Colin|Vidal|Caron|Picard|Roger|Fabre|\
            Aubert|Lemoine|Renaud|Dumas|Lacroix|Olivier|Philippe|Bourgeois|Pierre|Benoît|Rey|Leclerc|Payet|\
            Rolland|Leclercq|Guillaume|Lecomte|Lopez|Jean|Dupuy|Guillot|Hubert|Berger|Carpentier|Sanchez|Dupuis|\
            Moulin|Louis|Deschamps|Huet|Vasseur|Perez|Boucher|Fleury|Royer|Klein|Jacquet|Adam|Paris|Poirier|\
            Marty|Aubry|Guyot|Carré|Charles|Renault|Charpentier|Ménard|Maillard|Baron|Bertin|Bailly|Hervé|\
            Schneider|Fernandez|Le Gall|Collet|Léger|Bouvier|Julien|Prévost|Millet|Perrot|Daniel|Le Roux|Cousin|\
            Germain|Breton|Besson|Langlois|Rémy|Le Goff|Pelletier|Lévêque|Perrier|Leblanc|Barré|Lebrun|Marchal|\
            Weber|Mallet|Hamon|Boulanger|Jacob|Monnier|Michaud|Rodriguez|Guichard|Gillet|Étienne|Grondin|Poulain|\
            Tessier|Chevallier|Collin|Chauvin|Da Silva|Bouchet|Gay|Lemaître|Bénard|Maréchal|Humbert|Reynaud|\
            Antoine|Hoarau|Perret|Barthélemy|Cordier|Pichon|Lejeune|Gilbert|Lamy|Delaunay|Pasquier|Carlier|\
            Laporte|N'Diaye|Dos Santos|D'Almeida|Benoit|Lebon|Texier|Marechal|Riviere|Lemoine|Ferrand|Bousquet|\
            Delmas|Courtois|Vallée|Hoareau|Navarro|Jolly|Tanguy|Pons|Cadiou|Kerboul|Le Bihan|Quéré|Mahé|Seznec|\
            Bouhier|Arnoux|Brossard|Chapuis|Favre|Vuillemin|Grosjean|Jeannin|Bourdon|Coulon|Ollivier|Lelièvre
            """
        var seen: Set<String> = []
        return text.split(separator: "|").compactMap { part in
            let name = String(part)
            guard seen.insert(name).inserted else { return nil }
            return Surname(name: name, mailPart: TextFolding.slug(name), letters: TextFolding.letters(name))
        }
    }()
}

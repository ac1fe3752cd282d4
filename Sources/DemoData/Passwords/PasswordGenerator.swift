/// Readable generated passwords: four capitalised French words and two digits joined by hyphens, such as
/// `Cerise-Moulin-Plume-Torrent-42` (about 31 bits from the words with this list, plus 6.6 from the digits).
enum PasswordGenerator {
    static let words: [String] = """
        abricot balcon cerise domaine etoile falaise galet hibou ilot jardin kiosque lavande marron nuage olive \
        prairie quartz renard sapin tilleul usine vallon wagon yaourt zebre ardoise bougie cascade dune erable \
        fougere grenier horizon ivoire jonquille lagune mimosa noisette orage pivoine ruisseau sablier tempete \
        velours aubepine brioche citron dauphin ecluse figue girafe harpe iris jasmin koala lotus menthe navire \
        ocean papillon radis saumon tortue valise ancre bouleau chalet dentelle eclair fanfare glacier hameau \
        indigo javelot lanterne moulin noyer opale pinceau rocher sentier torrent verger amande biscuit colline \
        delta epice flocon granit herisson igloo jongleur lilas marais nectar orchidee poivre roseau sirop tambour \
        violon alpage bruyere castor diamant escargot framboise grive houblon ocre pelican plume rivage semaine \
        tuile vanille azur berger canal dragon encre fontaine genet hirondelle lierre mirabelle nacre orge \
        peuplier reglisse saule tonnerre volcan
        """.split(separator: " ").map { String($0) }

    /// A new password drawn from `random`.
    static func make(using random: inout SeededGenerator) -> String {
        var parts: [String] = []
        for _ in 0..<4 {
            let word = random.pick(words)
            parts.append(word.prefix(1).uppercased() + word.dropFirst())
        }
        return parts.joined(separator: "-") + "-" + String(random.between(10...99))
    }
}

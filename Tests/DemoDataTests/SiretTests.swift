import Testing

@testable import DemoData

@Suite struct SiretTests {
    @Test(arguments: ["73282932000074", "35600000000048", "21330063500017", "44306184100047"])
    func knownValidSirets(siret: String) {
        #expect(Siret.isValid(siret))
    }

    @Test(arguments: ["73282932000075", "7328293200007", "732829320000740", "7328293200007A", ""])
    func invalidSirets(siret: String) {
        #expect(!Siret.isValid(siret))
    }

    @Test func sirenCheck() {
        #expect(Siret.isValidSIREN("732829320"))
        #expect(!Siret.isValidSIREN("732829321"))
    }

    @Test func madeSiretsPassBothChecks() {
        for serial in stride(from: 0, to: 1_000_000, by: 7_919) {
            for establishment in [1, 2, 9, 10, 9_999] {
                let siret = Siret.make(prefix: 21, serial: serial, establishment: establishment)
                #expect(siret.utf8.count == 14)
                #expect(Siret.isValid(siret), "\(siret)")
                #expect(Siret.isValidSIREN(String(siret.prefix(9))), "\(siret)")
                #expect(siret.hasPrefix("21"))
            }
        }
    }

    @Test func codiques() {
        #expect(Codique.directorate(ofDepartement: "69") == "0690001")
        #expect(Codique.directorate(ofDepartement: "2A") == "02A0001")
        #expect(Codique.directorate(ofDepartement: "974") == "9740001")
        #expect(Codique.isWellFormed("0750001"))
        #expect(Codique.isWellFormed("02B0001"))
        #expect(!Codique.isWellFormed("075001"))
        #expect(!Codique.isWellFormed("07A0001"))
        for departement in Departement.all {
            #expect(Codique.isWellFormed(departement.codique))
            #expect(!departement.communes.isEmpty, "\(departement.name) has no commune")
        }
    }

    @Test func referenceTablesAreSane() {
        for commune in Commune.all {
            #expect(commune.postalCode.utf8.count == 5 && commune.postalCode.allSatisfy(\.isNumber))
            #expect(!commune.slug.isEmpty && commune.slug.unicodeScalars.allSatisfy { $0.isASCII })
        }
        #expect(Commune.all.count >= 200)
        #expect(TextFolding.slug("Les Sables-d'Olonne") == "les-sables-dolonne")
        #expect(TextFolding.slug("Saint-Étienne") == "saint-etienne")
        #expect(TextFolding.letters("Le Gall") == "legall")
        #expect(TextFolding.initials("Jean-Pierre") == "jp")
    }

    @Test func seededGeneratorIsReproducible() {
        var first = SeededGenerator(seed: 123)
        var second = SeededGenerator(seed: 123)
        var other = SeededGenerator(seed: 124)
        let a = (0..<16).map { _ in first.next() }
        #expect(a == (0..<16).map { _ in second.next() })
        #expect(a != (0..<16).map { _ in other.next() })
        var bounded = SeededGenerator(seed: 5)
        for _ in 0..<1000 {
            let value = bounded.below(7)
            #expect((0..<7).contains(value))
        }
    }
}

import Testing

@testable import DomainRules

@Suite("Population and codique (D2)")
struct PersonFieldTests {
    @Test func populations() {
        #expect(PopulationCode.violation("SSLEPN") == nil)
        #expect(PopulationCode.violation("sslspl") == nil)
        for bad in ["", "SSL", "EPN", "SSLEPNX", "SSL EPN"] {
            let violation = PopulationCode.violation(bad)
            #expect(violation?.rule == .personFields)
            #expect(violation?.message.hasPrefix("D2: aspasiePopulation") == true)
        }
    }

    @Test func codiques() {
        for good in ["0750001", "0010001", "0950123", "02A0001", "02b0001", "9710001", "9760001"] {
            #expect(CodiqueFormat.isWellFormed(good), "\(good)")
        }
        for bad in [
            "075001", "07500011", "0000001", "0200001", "0960001", "9700001", "9770001", "02C0001", "075000A",
            "75 0001", "", "０７５０００１",
        ] {
            #expect(!CodiqueFormat.isWellFormed(bad), "\(bad)")
        }
        #expect(
            CodiqueFormat.violation("75", attribute: "aspasieTerritoryCodique")?.message.hasPrefix(
                "D2: aspasieTerritoryCodique '75' is not a codique") == true)
    }
}

@Suite("E-mail addresses (D3)")
struct MailTests {
    @Test func syntax() {
        for good in ["jean.dupont@ville-lyon.fr", "j.o'brien+tag@ac-paris.fr", "a@b.co", "x_y-z@sub.domain.gouv.fr"] {
            #expect(MailAddress(good) != nil, "\(good)")
        }
        let long = String(repeating: "a", count: 65) + "@example.fr"
        for bad in [
            "", "jean", "jean@", "@ville.fr", "jean@ville", "jean@ville.f", "jean@ville.12", "jean..d@ville.fr",
            ".jean@ville.fr", "jean.@ville.fr", "jean dupont@ville.fr", "jean@-ville.fr", "jean@ville-.fr",
            "jean@ville..fr", "\"jean\"@ville.fr", "jean@[192.0.2.1]", "jéan@ville.fr", long, "a@b@c.fr",
        ] {
            #expect(MailAddress(bad) == nil, "\(bad)")
        }
        #expect(
            MailAddress.syntaxViolation("jean")?.message
                == "D3: mail 'jean' is not a valid e-mail address (expected name@domain.tld, ASCII)")
    }

    @Test func genericAddresses() throws {
        let policy = GenericMailPolicy()
        for generic in [
            "contact@ville-lyon.fr", "CONTACT@ville-lyon.fr", "accueil2@ccas-nice.fr", "secretariat.general@x.fr",
            "compta-ville@x.fr", "mairie@wanadoo.fr", "mairie.saint-denis@orange.fr", "info+news@x.fr", "admin@x.fr",
            "direction_rh@x.fr", "ce.0750001a@ac-paris.fr", "int.0691234X@ac-lyon.fr",
            "pamelanonreponse@dgfip.finances.gouv.fr",
            "bureau.ce2b-eprn@dgfip.finances.gouv.fr", "ddfip75.demat@dgfip.finances.gouv.fr", "no-reply@x.fr",
            "agent.comptable@lycee.fr",
        ] {
            let address = try #require(MailAddress(generic))
            let violation = policy.violation(address)
            #expect(violation?.rule == .mail, "\(generic)")
            #expect(violation?.message.hasPrefix("D3: mail '") == true)
        }
        for nominative in [
            "jean.dupont@ville-lyon.fr", "jean.contact@x.fr", "marie.info@x.fr", "ce.dupont@ac-paris.fr",
            "contactless.jean@x.fr", "adminou.pierre@x.fr", "sieur.jean@x.fr",
        ] {
            let address = try #require(MailAddress(nominative))
            #expect(policy.violation(address) == nil, "\(nominative)")
        }
    }

    @Test func configuredPolicy() throws {
        let policy = GenericMailPolicy(localParts: ["Standard"], patterns: ["*@generic.example", "x#"])
        #expect(policy.violation(try #require(MailAddress("standard@x.fr"))) != nil)
        #expect(policy.violation(try #require(MailAddress("jean@generic.example"))) != nil)
        #expect(policy.violation(try #require(MailAddress("x1@x.fr"))) != nil)
        #expect(policy.violation(try #require(MailAddress("xa@x.fr"))) == nil)
        #expect(policy.violation(try #require(MailAddress("contact@x.fr"))) == nil)
    }

    @Test func globPatterns() {
        #expect(GlobPattern("*").matches(""))
        #expect(GlobPattern("a*b*c").matches("axxbyyc"))
        #expect(!GlobPattern("a*b*c").matches("axxbyy"))
        #expect(GlobPattern("ce.#######?").matches("ce.0750001a"))
        #expect(!GlobPattern("ce.#######?").matches("ce.075000xa"))
        #expect(GlobPattern("*x*x*x*x*x*y").matches(String(repeating: "x", count: 40) + "y"))
        #expect(!GlobPattern("*x*x*x*x*x*y").matches(String(repeating: "x", count: 4000)))
    }
}

@Suite("Identifiers (D1)")
struct IdentifierTests {
    @Test func externalAndStaff() {
        let staff = ["dgfip.finances.gouv.fr"]
        #expect(SignInIdentifier.violation("jdupont-xt", mails: [], staffMailDomains: staff) == nil)
        #expect(SignInIdentifier.violation("JDupont2-XT", mails: [], staffMailDomains: staff) == nil)
        #expect(
            SignInIdentifier.violation(
                "jean.dupont", mails: ["jean.dupont@dgfip.finances.gouv.fr"], staffMailDomains: staff) == nil)
        // Staff may have another identifier than their mail's local part (they sign in with either).
        #expect(
            SignInIdentifier.violation(
                "jdupont", mails: ["jean.dupont@DGFiP.finances.gouv.fr"], staffMailDomains: staff) == nil)
        #expect(SignInIdentifier.violation("jean.dupont", mails: ["jean.dupont@ville.fr"], staffMailDomains: []) == nil)
        for (bad, mails) in [
            ("jdupont", ["jean.dupont@ville.fr"]), ("jean.dupont", []), ("-xt", []),
            ("j dupont-xt", []), ("jdupont-xt2", ["jdupont-xt2@ville.fr"]),
        ] {
            let violation = SignInIdentifier.violation(bad, mails: mails, staffMailDomains: staff)
            #expect(violation?.rule == .identifier, "\(bad)")
            #expect(violation?.message.hasPrefix("D1: aspasieIdentifier '") == true)
        }
        #expect(
            SignInIdentifier.violation("jdupont", mails: [], staffMailDomains: staff)?.message
                == "D1: aspasieIdentifier 'jdupont' must end in '-xt' (external users; only DGFiP staff, with a mail at "
                + "dgfip.finances.gouv.fr, have another form)")
    }
}

@Suite("SIRET (D9)")
struct SiretTests {
    @Test func luhn() {
        // Two Luhn-valid SIRETs, and one of La Poste (SIREN 356000000), checked by the sum of its digits.
        for good in ["11000201100044", "21690123100011", "35600000000001"] {
            #expect(SiretNumber.violation(good) == nil, "\(good)")
        }
        #expect(
            SiretNumber.violation("11000201100045")?.message
                == "D9: aspasieSiret '11000201100045' has a wrong check digit (Luhn key)")
        #expect(SiretNumber.violation("1100020110004")?.message == "D9: aspasieSiret '1100020110004' is not 14 digits")
        #expect(SiretNumber.violation("110 002 011 00044") != nil)
        #expect(SiretNumber.violation("35600000000002") != nil)
        #expect(SiretNumber.violation("1100020110004a") != nil)
    }
}

@Suite("Mobile numbers (D4)")
struct MobileTests {
    @Test func normalisation() {
        let cases: [(String, String)] = [
            ("0612345678", "+33612345678"), ("06 12 34 56 78", "+33612345678"), ("06.12.34.56.78", "+33612345678"),
            ("07-56-12-34-56", "+33756123456"), ("+33612345678", "+33612345678"), ("+33 6 12 34 56 78", "+33612345678"),
            ("+33 (0)6 12 34 56 78", "+33612345678"), ("0033612345678", "+33612345678"),
            ("+32470123456", "+32470123456"),
            ("0690123456", "+590690123456"), ("0694 12 34 56", "+594694123456"), ("0696123456", "+596696123456"),
            ("0692123456", "+262692123456"), ("0639123456", "+262639123456"), ("+447700900123", "+447700900123"),
        ]
        for (input, expected) in cases {
            #expect(MobileNumber.normalized(input) == expected, "\(input)")
        }
        for bad in [
            "", "06123456", "061234567890", "0112345678", "+33112345678", "+3361234567", "+0612345678",
            "+1234567", "+1234567890123456", "06 12 34 56 7a", "tel:0612345678", " 0612345678", "06++12345678",
        ] {
            #expect(MobileNumber.normalized(bad) == nil, "\(bad)")
            #expect(MobileNumber.violation(bad)?.message.hasPrefix("D4: mobile '") == true)
        }
    }
}

/// Codiques of the DGFiP services used by the demo data.
///
/// A codique is written as 7 characters: the département on three characters (`001`–`095`, `02A`, `02B`,
/// `971`–`976`) followed by a four-digit office number within it, e.g. `0750001`. The demo data gives every person
/// and structure the codique of the finance directorate (DRFiP/DDFiP) of its département, office `0001`, which is
/// also the territory codique of the département's correspondents (D2, D14).
public enum Codique {
    /// The office number of a département's finance directorate in generated data.
    public static let directorateOffice = "0001"

    /// The codique of the finance directorate of the département whose code is `departement` (`69`, `2A`, `974`).
    public static func directorate(ofDepartement departement: String) -> String {
        departementPart(departement) + directorateOffice
    }

    /// The three-character département part of a codique: `69` → `069`, `2A` → `02A`, `974` → `974`.
    static func departementPart(_ departement: String) -> String {
        String(repeating: "0", count: max(0, 3 - departement.utf8.count)) + departement
    }

    /// Whether `text` has the codique form: 7 characters, 3 of département then 4 digits.
    public static func isWellFormed(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 7 else { return false }
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        let departement = bytes[0..<3]
        let corsica = bytes[0] == 48 && bytes[1] == 50 && (bytes[2] == 65 || bytes[2] == 66)
        return (departement.allSatisfy(isDigit) || corsica) && bytes[3...].allSatisfy(isDigit)
    }
}

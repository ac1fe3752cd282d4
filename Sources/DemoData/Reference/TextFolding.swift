/// Turns French names into the ASCII of identifiers, mail local parts and domain labels.
enum TextFolding {
    /// `Saint-Étienne` → `saint-etienne`, `Les Sables-d'Olonne` → `les-sables-dolonne`, `Le Gall` → `le-gall`:
    /// lower-case ASCII letters and digits, accents dropped, apostrophes removed, runs of other characters as
    /// one `-`, none at either end.
    static func slug(_ text: String) -> String {
        var output = ""
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            if scalar == "'" || scalar == "\u{2019}" {
                continue
            }
            let folded = fold(scalar)
            if folded.isEmpty {
                pendingHyphen = !output.isEmpty
                continue
            }
            if pendingHyphen {
                output += "-"
                pendingHyphen = false
            }
            output += folded
        }
        return output
    }

    /// Only the letters and digits of ``slug(_:)``: `Le Gall` → `legall`.
    static func letters(_ text: String) -> String {
        slug(text).filter { $0 != "-" }
    }

    /// The first letter of each part of a given name: `Jean-Pierre` → `jp`, `Hélène` → `h`.
    static func initials(_ givenName: String) -> String {
        slug(givenName).split(separator: "-").compactMap { $0.first.map(String.init) }.joined()
    }

    /// The lower-case ASCII of one scalar, or `""` when it is neither a letter nor a digit.
    private static func fold(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "a"..."z", "0"..."9": return String(scalar)
        case "A"..."Z": return String(Character(scalar)).lowercased()
        case "à", "á", "â", "ä", "ã", "å", "À", "Á", "Â", "Ä", "Ã", "Å": return "a"
        case "ç", "Ç": return "c"
        case "è", "é", "ê", "ë", "È", "É", "Ê", "Ë": return "e"
        case "ì", "í", "î", "ï", "Ì", "Í", "Î", "Ï": return "i"
        case "ñ", "Ñ": return "n"
        case "ò", "ó", "ô", "ö", "õ", "Ò", "Ó", "Ô", "Ö", "Õ": return "o"
        case "ù", "ú", "û", "ü", "Ù", "Ú", "Û", "Ü": return "u"
        case "ý", "ÿ", "Ý", "Ÿ": return "y"
        case "œ", "Œ": return "oe"
        case "æ", "Æ": return "ae"
        default: return ""
        }
    }
}

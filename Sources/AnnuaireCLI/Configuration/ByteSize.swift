/// Sizes in bytes as the configuration writes them: a number of bytes, or a number and a binary unit
/// (`KiB`, `MiB`, `GiB`, `TiB`; `K`, `M`, `G`, `T` and `KB`… mean the same, 1024-based).
enum ByteSize {
    private static let units: [(suffixes: [String], factor: Int)] = [
        (["tib", "tb", "t"], 1 << 40),
        (["gib", "gb", "g"], 1 << 30),
        (["mib", "mb", "m"], 1 << 20),
        (["kib", "kb", "k"], 1 << 10),
        (["b", ""], 1),
    ]

    /// The number of bytes `text` means, `nil` if it is not a size (or overflows).
    static func parse(_ text: String) -> Int? {
        let trimmed = text.lowercased().filter { $0 != " " && $0 != "_" }
        let numberEnd = trimmed.firstIndex { !$0.isASCII || !$0.isNumber } ?? trimmed.endIndex
        guard numberEnd > trimmed.startIndex, let number = Int(trimmed[..<numberEnd]) else { return nil }
        let suffix = String(trimmed[numberEnd...])
        guard let unit = units.first(where: { $0.suffixes.contains(suffix) }) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: unit.factor)
        return overflow ? nil : bytes
    }

    /// `bytes` in the largest binary unit that divides it exactly (`"256KiB"`, `"1GiB"`), or plain bytes.
    static func format(_ bytes: Int) -> String {
        for (suffixes, factor) in units where factor > 1 && bytes != 0 && bytes % factor == 0 {
            let unit = suffixes[0]
            return "\(bytes / factor)\(unit.prefix(1).uppercased())\(unit.dropFirst(1).prefix(1))B"
        }
        return "\(bytes)"
    }
}

/// Formats instants as the server writes them in `createTimestamp`/`modifyTimestamp` (`YYYYmmddHHMMSSZ`) and
/// in `entryCSN` (`YYYYmmddHHMMSS.ffffffZ`), UTC.
enum GeneralizedTimeFormatter {
    /// `YYYYmmddHHMMSSZ` for a time in microseconds since 1970.
    static func seconds(_ microseconds: Int64) -> String {
        dateTime(floorDivide(microseconds, 1_000_000)) + "Z"
    }

    /// `YYYYmmddHHMMSS.ffffffZ` for a time in microseconds since 1970.
    static func microseconds(_ microseconds: Int64) -> String {
        let seconds = floorDivide(microseconds, 1_000_000)
        let fraction = microseconds - seconds * 1_000_000
        return dateTime(seconds) + "." + padded(fraction, 6) + "Z"
    }

    /// `YYYYmmddHHMMSS` of a time in seconds since 1970 (proleptic Gregorian, civil-from-days).
    private static func dateTime(_ seconds: Int64) -> String {
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return padded(year, 4) + padded(month, 2) + padded(day, 2) + padded(secondOfDay / 3600, 2)
            + padded(secondOfDay / 60 % 60, 2) + padded(secondOfDay % 60, 2)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

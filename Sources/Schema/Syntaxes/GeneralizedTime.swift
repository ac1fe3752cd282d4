/// A value of the Generalized Time syntax (RFC 4517 §3.3.13), e.g. `199412160532-0500` or
/// `20240229103000.25Z`: a local time with a mandatory hour, optional minute and second (or leap
/// second 60), an optional fraction of the last unit given, and `Z` or an offset from UTC.
public struct GeneralizedTime: Hashable, Sendable {
    /// Year, 0–9999.
    public var year: Int
    /// Month, 1–12.
    public var month: Int
    /// Day of the month, 1–31 (checked against the month and leap years).
    public var day: Int
    /// Hour, 0–23.
    public var hour: Int
    /// Minute, 0–59; 0 when the value gives none.
    public var minute: Int
    /// Second, 0–60 (60 is a leap second); 0 when the value gives none.
    public var second: Int
    /// The fraction of a second as decimal digits without trailing zeros (`"25"` for 0.25 s);
    /// a fraction of an hour or a minute is converted to minutes, seconds and this.
    public var fractionDigits: [UInt8]
    /// The offset from UTC in minutes (`-0500` is -300); 0 for `Z`.
    public var offsetMinutes: Int

    /// The reason a value is not a Generalized Time.
    public struct ParseError: Error, Hashable, Sendable {
        /// What is wrong, e.g. `month 13`.
        public var reason: String
    }

    /// Parses the LDAP string form.
    public init(_ value: [UInt8]) throws(ParseError) {
        var reader = Reader(bytes: value)
        self.year = try reader.digits(4, "year")
        self.month = try reader.digits(2, "month")
        guard (1...12).contains(self.month) else { throw ParseError(reason: "month \(self.month)") }
        self.day = try reader.digits(2, "day")
        let monthLength = Self.daysIn(month: self.month, year: self.year)
        guard (1...monthLength).contains(self.day) else {
            throw ParseError(reason: "day \(self.day) of a month of \(monthLength) days")
        }
        self.hour = try reader.digits(2, "hour")
        guard self.hour <= 23 else { throw ParseError(reason: "hour \(self.hour)") }
        self.minute = 0
        self.second = 0
        self.fractionDigits = []
        self.offsetMinutes = 0
        var lastUnitSeconds = 3600
        if reader.peekIsDigit {
            self.minute = try reader.digits(2, "minute")
            guard self.minute <= 59 else { throw ParseError(reason: "minute \(self.minute)") }
            lastUnitSeconds = 60
            if reader.peekIsDigit {
                self.second = try reader.digits(2, "second")
                guard self.second <= 60 else { throw ParseError(reason: "second \(self.second)") }
                lastUnitSeconds = 1
            }
        }
        if let byte = reader.peek, byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") {
            reader.index += 1
            let start = reader.index
            while reader.peekIsDigit { reader.index += 1 }
            guard reader.index > start else { throw ParseError(reason: "a fraction needs at least one digit") }
            let digits = Array(value[start..<reader.index])
            try self.applyFraction(digits, unitSeconds: lastUnitSeconds)
        }
        guard let zone = reader.peek else { throw ParseError(reason: "missing time zone (Z or +hhmm / -hhmm)") }
        reader.index += 1
        switch zone {
        case UInt8(ascii: "Z"):
            break
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let hours = try reader.digits(2, "offset hour")
            guard hours <= 23 else { throw ParseError(reason: "offset hour \(hours)") }
            var minutes = 0
            if reader.peek != nil {
                minutes = try reader.digits(2, "offset minute")
                guard minutes <= 59 else { throw ParseError(reason: "offset minute \(minutes)") }
            }
            self.offsetMinutes = (hours * 60 + minutes) * (zone == UInt8(ascii: "-") ? -1 : 1)
        default:
            throw ParseError(reason: "expected Z, + or - at offset \(reader.index - 1)")
        }
        guard reader.peek == nil else { throw ParseError(reason: "unexpected characters after the time zone") }
    }

    /// Spreads a fraction of an hour or a minute over minutes, seconds and a fraction of a second.
    private mutating func applyFraction(_ digits: [UInt8], unitSeconds: Int) throws(ParseError) {
        // fraction * unitSeconds, in decimal: integer part in seconds, the rest a fraction.
        var product = digits.map { Int($0 - UInt8(ascii: "0")) }
        var carry = 0
        for index in product.indices.reversed() {
            let total = product[index] * unitSeconds + carry
            product[index] = total % 10
            carry = total / 10
        }
        // carry is the whole seconds (< unitSeconds), product the fractional digits.
        if unitSeconds > 1 {
            self.minute += carry / 60
            self.second += carry % 60
        }
        while let last = product.last, last == 0 { product.removeLast() }
        self.fractionDigits = product.map { UInt8($0) + UInt8(ascii: "0") }
    }

    /// The number of days in `month` of `year` (proleptic Gregorian calendar).
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// The same instant in UTC (offset 0). A leap second stays second 60.
    public var utc: GeneralizedTime {
        guard self.offsetMinutes != 0 else { return self }
        var result = self
        // local - offset = UTC
        var totalMinutes = self.hour * 60 + self.minute - self.offsetMinutes
        var dayShift = 0
        while totalMinutes < 0 {
            totalMinutes += 1440
            dayShift -= 1
        }
        while totalMinutes >= 1440 {
            totalMinutes -= 1440
            dayShift += 1
        }
        result.hour = totalMinutes / 60
        result.minute = totalMinutes % 60
        result.offsetMinutes = 0
        if dayShift < 0 {
            result.day -= 1
            if result.day == 0 {
                result.month -= 1
                if result.month == 0 {
                    result.month = 12
                    result.year -= 1
                }
                result.day = Self.daysIn(month: result.month, year: result.year)
            }
        } else if dayShift > 0 {
            result.day += 1
            if result.day > Self.daysIn(month: result.month, year: result.year) {
                result.day = 1
                result.month += 1
                if result.month == 13 {
                    result.month = 1
                    result.year += 1
                }
            }
        }
        return result
    }

    /// The canonical form used as the normalised value of generalizedTimeMatch and
    /// generalizedTimeOrderingMatch: the UTC time as `YYYYMMDDHHMMSS`, then `.` and the fraction
    /// digits when the fraction is not zero, and no zone letter — so that byte order is time
    /// order (a `Z` would sort after the `.` of a later time in the same second). `nil` when
    /// the UTC year falls outside 0000–9999 (possible only within a day of those limits).
    public var canonicalUTC: [UInt8]? {
        let utc = self.utc
        guard (0...9999).contains(utc.year) else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(15 + utc.fractionDigits.count)
        Self.append(utc.year, width: 4, to: &output)
        Self.append(utc.month, width: 2, to: &output)
        Self.append(utc.day, width: 2, to: &output)
        Self.append(utc.hour, width: 2, to: &output)
        Self.append(utc.minute, width: 2, to: &output)
        Self.append(utc.second, width: 2, to: &output)
        if !utc.fractionDigits.isEmpty {
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: utc.fractionDigits)
        }
        return output
    }

    private static func append(_ number: Int, width: Int, to output: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var remaining = number
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(remaining / divisor % 10))
            remaining %= divisor
            divisor /= 10
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var peek: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }
        var peekIsDigit: Bool { self.peek.map(SyntaxCheck.isDigit) ?? false }

        mutating func digits(_ count: Int, _ field: String) throws(ParseError) -> Int {
            var value = 0
            for _ in 0..<count {
                guard let byte = self.peek, SyntaxCheck.isDigit(byte) else {
                    throw ParseError(reason: "expected \(count) digits for the \(field) at offset \(self.index)")
                }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                self.index += 1
            }
            return value
        }
    }
}

import LDAPProtocol
import Schema

/// One `pwdPolicy` entry, read (draft-behera-ldap-password-policy-10 §5.2, with slapd 2.5's pwdMaxLength,
/// pwdGraceExpiry, pwdMinDelay/pwdMaxDelay). Values are user data: anything that does not parse keeps the
/// draft's default, negative numbers count as 0 and numbers are capped at 2³¹−1 seconds, so that no later
/// arithmetic (seconds × 10⁶) can overflow.
struct PasswordPolicy: Equatable, Sendable {
    /// The policy entry.
    var dn: DistinguishedName
    var maxAge: Int64 = 0
    var expireWarning: Int64 = 0
    var graceAuthNLimit: Int64 = 0
    var graceExpiry: Int64 = 0
    var lockout = false
    var lockoutDuration: Int64 = 0
    var maxFailure: Int64 = 0
    var failureCountInterval: Int64 = 0
    var minAge: Int64 = 0
    var minLength: Int64 = 0
    var maxLength: Int64 = 0
    var inHistory: Int64 = 0
    var checkQuality: Int64 = 0
    var mustChange = false
    var allowUserChange = true
    var safeModify = false
    /// The delay after failed binds, as slapd 2.5 applies it: a temporary lockout (pwdAccountTmpLockoutEnd)
    /// of pwdMinDelay seconds after the first recorded failure, doubled at each further one, at most
    /// pwdMaxDelay.
    var minDelay: Int64 = 0
    var maxDelay: Int64 = 0

    /// Reads `entry`; `nil` when it is not a `pwdPolicy` entry.
    init?(entry: Entry) {
        guard entry.objectClasses.contains(where: { $0.lowercased() == "pwdpolicy" }) else { return nil }
        dn = entry.dn
        func number(_ name: String) -> Int64? {
            guard let text = entry.stringValues(of: name).first, let value = Int64(text) else { return nil }
            return min(max(value, 0), Int64(Int32.max))
        }
        func flag(_ name: String) -> Bool? {
            switch entry.stringValues(of: name).first?.uppercased() {
            case "TRUE": return true
            case "FALSE": return false
            default: return nil
            }
        }
        maxAge = number("pwdMaxAge") ?? 0
        expireWarning = number("pwdExpireWarning") ?? 0
        graceAuthNLimit = number("pwdGraceAuthNLimit") ?? 0
        graceExpiry = number("pwdGraceExpiry") ?? 0
        lockout = flag("pwdLockout") ?? false
        lockoutDuration = number("pwdLockoutDuration") ?? 0
        maxFailure = number("pwdMaxFailure") ?? 0
        failureCountInterval = number("pwdFailureCountInterval") ?? 0
        minAge = number("pwdMinAge") ?? 0
        minLength = number("pwdMinLength") ?? 0
        maxLength = number("pwdMaxLength") ?? 0
        inHistory = number("pwdInHistory") ?? 0
        checkQuality = number("pwdCheckQuality") ?? 0
        mustChange = flag("pwdMustChange") ?? false
        allowUserChange = flag("pwdAllowUserChange") ?? true
        safeModify = flag("pwdSafeModify") ?? false
        minDelay = number("pwdMinDelay") ?? 0
        maxDelay = number("pwdMaxDelay") ?? 0
    }

    /// Whether failed binds are recorded (pwdFailureTime): for a lockout, or for the delays.
    var recordsFailures: Bool { maxFailure > 0 || lockout || minDelay > 0 }

    /// How many failure times are kept: pwdMaxFailure, else 5 (slapd 2.5's pwdMaxRecordedFailure default).
    var recordedFailures: Int { maxFailure > 0 ? Int(maxFailure) : 5 }

    /// Seconds of temporary lockout after `failures` consecutive recorded failures (≥ 1): pwdMinDelay doubled
    /// at each failure after the first, at most pwdMaxDelay (pwdMinDelay when pwdMaxDelay is lower); 0 without
    /// pwdMinDelay.
    func delay(afterFailures failures: Int) -> Int64 {
        guard minDelay > 0, failures > 0 else { return 0 }
        let ceiling = max(maxDelay, minDelay)
        var delay = minDelay
        for _ in 1..<min(failures, 32) where delay < ceiling { delay = min(delay * 2, ceiling) }
        return delay
    }
}

/// Names of the operational attributes the policy keeps on each entry.
enum PolicyAttribute {
    static let changedTime = "pwdChangedTime"
    static let accountLockedTime = "pwdAccountLockedTime"
    static let temporaryLockoutEnd = "pwdAccountTmpLockoutEnd"
    static let failureTime = "pwdFailureTime"
    static let graceUseTime = "pwdGraceUseTime"
    static let history = "pwdHistory"
    static let reset = "pwdReset"
    static let lastSuccess = "pwdLastSuccess"
    static let subentry = "pwdPolicySubentry"
    static let mailChangedTime = "aspasieMailChangedTime"
}

/// Reading and writing the policy's time values: Generalized Time ↔ microseconds since 1970.
enum PolicyTime {
    /// Microseconds since 1970 of a stored Generalized Time; `nil` when it does not parse (user data: a bad
    /// value is ignored rather than trusted).
    static func microseconds(_ value: [UInt8]) -> Int64? {
        guard let parsed = try? GeneralizedTime(value) else { return nil }
        let time = parsed.utc
        // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
        let year = Int64(time.month <= 2 ? time.year - 1 : time.year)
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let month = Int64(time.month)
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(time.day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + Int64(time.hour) * 3600 + Int64(time.minute) * 60 + Int64(min(time.second, 59))
        var fraction: Int64 = 0
        var scale: Int64 = 100_000
        for digit in time.fractionDigits.prefix(6) {
            let value = digit >= 48 ? Int64(digit) - 48 : Int64(digit)
            guard (0...9).contains(value) else { break }
            fraction += value * scale
            scale /= 10
        }
        return seconds * 1_000_000 + fraction
    }

    /// The values of `name` in `entry` as microseconds, unparsable ones left out.
    static func values(_ name: String, in entry: Entry) -> [Int64] {
        entry.values(of: name).compactMap(microseconds)
    }

    /// The stored form, to the microsecond (failures and grace logins in the same second stay distinct).
    static func text(_ microseconds: Int64) -> String { GeneralizedTimeFormatter.microseconds(microseconds) }
}

extension Entry {
    /// Sets the values of `name` (replacing any attribute of that description; removing it for no values).
    mutating func setPolicyValues(_ name: String, _ values: [String]) {
        let key = AttributeDescription(name)
        attributes.removeAll { $0.description == key }
        if !values.isEmpty { attributes.append(EntryAttribute(name, values)) }
    }
}

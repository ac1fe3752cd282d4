#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LDAPProtocol
import Schema

/// The value clause of a rule (`attrs=T val…=V`): which values of the rule's one attribute type `T` (and its
/// subtypes) the rule is about. A rule with a value clause takes part only in checks about one value — a value
/// added or deleted, compared, carried by a new entry, asserted by an equality filter item, returned by a
/// search — and is skipped in checks about the attribute as a whole (docs/access-control.md).
struct AccessValueSelector: Sendable {
    enum Test: Sendable {
        /// `val=`, `val.exact=`, `val.base=`: equal to `normalized` under `rule` (the type's equality rule, or
        /// the one named with `val/RULE=`).
        case equal(rule: MatchingRule, normalized: [UInt8])
        /// `val.regex=`: a POSIX extended regular expression found in the value as stored.
        case regex(AccessRegex)
        /// `val.one=`, `val.subtree=`, `val.children=` (DN-valued types): the value, a DN, is in the scope.
        case dn(DNPattern)
    }

    /// The type the rule names (its subtypes are selected too, as by `attrs=`).
    let type: CompiledAttributeType
    let test: Test

    /// Whether `value` of the selected type (an attribute value, or with `assertion` an equality assertion
    /// value) is one the clause names. A value the rule or the DN parser refuses is none of them.
    func matches(
        _ value: [UInt8], assertion: Bool, context: SchemaContext, normalizer: DNNormalizer
    ) -> Bool {
        switch test {
        case .equal(let rule, let normalized):
            return (try? context.normalize(value, rule: rule, of: type, assertion: assertion)) == normalized
        case .regex(let regex):
            return regex.matches(value)
        case .dn(let pattern):
            guard let text = String(validating: value, as: UTF8.self), let dn = try? DistinguishedName(text),
                let name = normalizer.name(dn)
            else { return false }
            return pattern.matches(name)
        }
    }
}

/// A compiled POSIX extended regular expression (glibc `regcomp`), for `val.regex=`. Matching runs in time
/// polynomial in the value's length (glibc simulates the automaton) except with back-references, which the
/// parser refuses: a client's value cannot make a check slow.
///
/// `@unchecked Sendable`: the compiled pattern is written once, by `init`, and only read afterwards; POSIX
/// makes `regexec` safe to call from several threads on one pattern (glibc takes a lock inside).
final class AccessRegex: @unchecked Sendable {
    private let compiled: UnsafeMutablePointer<regex_t>
    /// The pattern as written, for messages.
    let pattern: String

    /// Compiles `pattern`; `ignoringCase` for types whose equality rule ignores case. Throws the message of
    /// `regerror` when the pattern is invalid.
    init(_ pattern: String, ignoringCase: Bool) throws(AccessRegexError) {
        // Compiled before any property is set: a failed init then runs no deinit (nothing to free twice).
        let pointer = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
        var flags = REG_EXTENDED | REG_NOSUB
        if ignoringCase { flags |= REG_ICASE }
        let status = regcomp(pointer, pattern, flags)
        guard status == 0 else {
            let size = 256
            var buffer = [CChar](repeating: 0, count: size)
            regerror(status, pointer, &buffer, size)
            pointer.deallocate()
            let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw AccessRegexError(message: message)
        }
        compiled = pointer
        self.pattern = pattern
    }

    deinit {
        regfree(compiled)
        compiled.deallocate()
    }

    /// Whether the pattern is found in `value` (anywhere, unless anchored with `^` and `$`). A value holding a
    /// NUL byte (not text) matches no pattern.
    func matches(_ value: [UInt8]) -> Bool {
        guard !value.contains(0) else { return false }
        var text = value.map { CChar(bitPattern: $0) }
        text.append(0)
        return regexec(compiled, text, 0, nil, 0) == 0
    }
}

/// Why a `val.regex=` pattern does not compile.
struct AccessRegexError: Error {
    let message: String
}

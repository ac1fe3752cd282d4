/// A problem in a schema file, found while parsing it or while building the registry.
///
/// Its `description` is `file:line: message`, the form start-up logs print.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SchemaSourceLocation
    /// What is wrong.
    public var problem: Problem

    /// Creates an error.
    public init(_ problem: Problem, at location: SchemaSourceLocation) {
        self.location = location
        self.problem = problem
    }

    /// The file the problem is in.
    public var file: String { location.file }
    /// The 1-based line the problem is on.
    public var line: Int { location.line }

    /// `file:line: message`.
    public var description: String { "\(location): \(problem)" }

    /// Every problem the parser and the registry report.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// The file could not be read.
        case unreadableFile(reason: String)
        /// The file is not valid UTF-8.
        case invalidUTF8
        /// A statement starts with a word that is not `attributetype`, `objectclass` or `objectidentifier`.
        case unknownStatement(String)
        /// A keyword inside a description that the grammar does not know.
        case unknownKeyword(String, definition: String)
        /// The same keyword twice in one description.
        case duplicateKeyword(String, definition: String)
        /// A `(` without its `)`, or a `)` without its `(`.
        case unbalancedParenthesis(String)
        /// A quoted string without its closing quote.
        case unterminatedString
        /// A token where something else was expected.
        case unexpectedToken(found: String, expected: String)
        /// The description ended where something was expected.
        case unexpectedEnd(expected: String)
        /// Text after the closing parenthesis of a description.
        case trailingText(String)
        /// A value that should be a numeric OID is not one (after macro expansion).
        case invalidNumericOID(String)
        /// A value that should be a descriptor (`keystring`) is not one.
        case invalidDescriptor(String)
        /// A value that should be an OID (numeric or descriptor) is neither.
        case invalidOID(String)
        /// A `{len}` suffix on a syntax OID that is not a number.
        case invalidSyntaxLength(String)
        /// `USAGE` followed by something other than the four RFC 4512 usages.
        case invalidUsage(String)
        /// `objectidentifier` with the wrong number of arguments.
        case malformedObjectIdentifier(String)
        /// A macro reference `NAME` or `NAME:suffix` whose `NAME` was never defined.
        case undefinedMacro(String)
        /// The same `objectidentifier` name defined twice with different values.
        case duplicateMacro(String, previous: SchemaSourceLocation)
        /// Two definitions with the same numeric OID.
        case duplicateOID(String, previous: SchemaSourceLocation)
        /// Two attribute types (or two object classes) sharing a name.
        case duplicateName(String, previous: SchemaSourceLocation)
        /// The `SUP` of an attribute type is not a known attribute type.
        case unknownSuperiorAttributeType(String, of: String)
        /// The `SUP` of an object class is not a known object class.
        case unknownSuperiorObjectClass(String, of: String)
        /// An attribute type with neither `SYNTAX` nor `SUP`.
        case missingSyntax(String)
        /// A `SUP` chain (of attribute types or object classes) that comes back to where it started.
        case superiorChainCycle([String])
        /// An object class listing (in `MUST` or `MAY`) an attribute type that is not defined.
        case unknownAttributeType(String, in: String, of: String)
        /// An object class kind that may not derive from its superclass's kind (RFC 4512 §2.4).
        case incompatibleSuperclassKind(
            objectClass: String, kind: ObjectClassKind, superior: String, superiorKind: ObjectClassKind
        )
        /// A subtype whose usage differs from its supertype's (RFC 4512 §2.5.1).
        case usageDiffersFromSuperior(String, usage: AttributeUsage, superior: String, superiorUsage: AttributeUsage)
        /// A collective attribute type with an operational usage (RFC 3671 §4).
        case collectiveOperational(String)
        /// `NO-USER-MODIFICATION` on a user attribute type (RFC 4512 §4.1.2).
        case noUserModificationOnUserAttribute(String)
        /// A matching rule the server does not implement (`Schema.validateReferences`).
        case unknownMatchingRule(String, of: String)
        /// A syntax the server does not implement (`Schema.validateReferences`).
        case unknownSyntax(String, of: String)

        /// A sentence that says what is wrong.
        public var description: String {
            switch self {
            case .unreadableFile(let reason):
                return "cannot read the schema file: \(reason)"
            case .invalidUTF8:
                return "the schema file is not valid UTF-8"
            case .unknownStatement(let word):
                return "unknown statement '\(word)' (expected attributetype, objectclass or objectidentifier)"
            case .unknownKeyword(let word, let definition):
                return "unknown keyword '\(word)' in \(definition) description"
            case .duplicateKeyword(let word, let definition):
                return "keyword '\(word)' appears twice in \(definition) description"
            case .unbalancedParenthesis(let detail):
                return "unbalanced parenthesis: \(detail)"
            case .unterminatedString:
                return "unterminated quoted string (missing closing ')"
            case .unexpectedToken(let found, let expected):
                return "expected \(expected), found '\(found)'"
            case .unexpectedEnd(let expected):
                return "description ends where \(expected) was expected"
            case .trailingText(let text):
                return "unexpected text '\(text)' after the closing parenthesis"
            case .invalidNumericOID(let text):
                return "'\(text)' is not a numeric OID"
            case .invalidDescriptor(let text):
                return "'\(text)' is not a valid descriptor (a letter, then letters, digits or hyphens)"
            case .invalidOID(let text):
                return "'\(text)' is neither a numeric OID nor a descriptor"
            case .invalidSyntaxLength(let text):
                return "invalid syntax length '\(text)' (expected {digits})"
            case .invalidUsage(let text):
                return "invalid USAGE '\(text)' (expected userApplications, directoryOperation, "
                    + "distributedOperation or dSAOperation)"
            case .malformedObjectIdentifier(let text):
                return "objectidentifier needs a name and an OID, found '\(text)'"
            case .undefinedMacro(let name):
                return "objectidentifier macro '\(name)' is not defined (define it before use)"
            case .duplicateMacro(let name, let previous):
                return "objectidentifier '\(name)' is already defined at \(previous)"
            case .duplicateOID(let oid, let previous):
                return "OID \(oid) is already used by the definition at \(previous)"
            case .duplicateName(let name, let previous):
                return "name '\(name)' is already used by the definition at \(previous)"
            case .unknownSuperiorAttributeType(let sup, let of):
                return "attribute type '\(of)' has SUP '\(sup)', which is not a defined attribute type"
            case .unknownSuperiorObjectClass(let sup, let of):
                return "object class '\(of)' has SUP '\(sup)', which is not a defined object class"
            case .missingSyntax(let name):
                return "attribute type '\(name)' has neither SYNTAX nor SUP"
            case .superiorChainCycle(let names):
                return "SUP chain forms a cycle: \(names.joined(separator: " -> "))"
            case .unknownAttributeType(let name, let list, let of):
                return "object class '\(of)' lists '\(name)' in \(list), which is not a defined attribute type"
            case .incompatibleSuperclassKind(let objectClass, let kind, let superior, let superiorKind):
                return "\(kind) object class '\(objectClass)' cannot have the \(superiorKind) class "
                    + "'\(superior)' as SUP"
            case .usageDiffersFromSuperior(let name, let usage, let superior, let superiorUsage):
                return "attribute type '\(name)' has USAGE \(usage) but its SUP '\(superior)' has \(superiorUsage)"
            case .collectiveOperational(let name):
                return "collective attribute type '\(name)' must have USAGE userApplications"
            case .noUserModificationOnUserAttribute(let name):
                return "attribute type '\(name)' is NO-USER-MODIFICATION but not operational (add a USAGE)"
            case .unknownMatchingRule(let rule, let of):
                return "attribute type '\(of)' refers to matching rule '\(rule)', which the server does not implement"
            case .unknownSyntax(let syntax, let of):
                return "attribute type '\(of)' refers to syntax \(syntax), which the server does not implement"
            }
        }
    }
}

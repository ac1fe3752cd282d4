import AccessControl
import Foundation
import LDAPProtocol
import Schema

/// The shipped schema, loaded once.
enum TestSchema {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let built = Result { () throws -> SchemaContext in
        SchemaContext(schema: try Schema(directory: root.appendingPathComponent("schema").path))
    }

    static func context() throws -> SchemaContext { try built.get() }
}

let suffix = "dc=example,dc=com"

/// Compiles `text` with `${suffix}` = dc=example,dc=com.
func policy(_ text: String) throws -> AccessPolicy {
    try AccessPolicy(text: text, file: "test.rules", variables: ["suffix": suffix], context: try TestSchema.context())
}

/// The error compiling `text` throws, or nil.
func policyError(_ text: String, variables: [String: String] = ["suffix": suffix]) -> AccessPolicyError? {
    do {
        _ = try AccessPolicy(text: text, file: "test.rules", variables: variables, context: try TestSchema.context())
        return nil
    } catch let error as AccessPolicyError {
        return error
    } catch {
        return AccessPolicyError(file: "", line: -1, message: "schema: \(error)")
    }
}

/// An entry from `dn` and `(name, values)` pairs.
func entry(_ dn: String, _ attributes: [(String, [String])]) throws -> Entry {
    Entry(dn: try DistinguishedName(dn), attributes: attributes.map { EntryAttribute($0.0, $0.1) })
}

func type(_ name: String) throws -> AccessAttribute {
    guard let type = try TestSchema.context().attributeType(named: name) else {
        throw TestFailure("unknown type \(name)")
    }
    return .type(type)
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A person of the test tree.
func person(_ uid: String, codique: String = "0950001", extra: [(String, [String])] = []) throws -> Entry {
    try entry(
        "uid=\(uid),ou=people,\(suffix)",
        [
            ("objectClass", ["inetOrgPerson", "aspasiePerson"]), ("uid", [uid]), ("cn", [uid]), ("sn", [uid]),
            ("mail", ["\(uid)@example.com"]), ("aspasieCodique", [codique]), ("userPassword", ["secret"]),
        ] + extra)
}

/// The subject bound as `entry`, with group look-ups answered from `groups`.
func subject(_ policy: AccessPolicy, _ entry: Entry, groups: [Entry] = []) -> AccessSubject {
    policy.subject(boundAs: entry.dn, entry: entry) { dn in groups.first { $0.dn == dn } }
}

import Foundation

/// One account the generator signs in as or looks up, from the `--credentials` file that `annuaire demo-data`
/// writes: `identifier<TAB>dn<TAB>password<TAB>role`.
public struct BenchAccount: Hashable, Sendable {
    public var identifier: String
    public var dn: String
    public var password: String
    public var role: String

    public init(identifier: String, dn: String, password: String, role: String) {
        self.identifier = identifier
        self.dn = dn
        self.password = password
        self.role = role
    }
}

/// Why a credentials file cannot be used; the description names the file and the line.
public struct CredentialsError: Error, CustomStringConvertible, Equatable {
    public var description: String

    init(_ description: String) { self.description = description }
}

public enum Credentials {
    /// The service accounts of the demo directory: not people, so the workloads do not draw them.
    public static let serviceRoles: Set<String> = ["monitor", "portal"]

    /// Parses the file's text. Empty lines are skipped; any other line must have exactly four tab-separated
    /// fields with a non-empty identifier, DN and password.
    public static func parse(_ text: String, source: String = "credentials") throws(CredentialsError) -> [BenchAccount] {
        var accounts: [BenchAccount] = []
        var number = 0
        // "\r\n" is one Character in Swift, and a newline: CRLF files split as LF ones do.
        for trimmed in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4 else {
                throw CredentialsError(
                    "\(source) line \(number): expected identifier<TAB>dn<TAB>password<TAB>role, "
                        + "found \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            guard !fields[0].isEmpty, !fields[1].isEmpty, !fields[2].isEmpty else {
                throw CredentialsError("\(source) line \(number): the identifier, DN and password must not be empty")
            }
            accounts.append(
                BenchAccount(
                    identifier: String(fields[0]), dn: String(fields[1]), password: String(fields[2]),
                    role: String(fields[3])))
        }
        guard !accounts.isEmpty else { throw CredentialsError("\(source): no accounts") }
        return accounts
    }

    /// Reads and parses a file.
    public static func load(path: String) throws(CredentialsError) -> [BenchAccount] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CredentialsError("cannot read the credentials file \(path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CredentialsError("the credentials file \(path) is not UTF-8")
        }
        return try parse(text, source: path)
    }

    /// The accounts the workloads draw from: the people, or every account when the file holds only service ones.
    public static func people(_ accounts: [BenchAccount]) -> [BenchAccount] {
        let people = accounts.filter { !serviceRoles.contains($0.role) }
        return people.isEmpty ? accounts : people
    }
}

/// The server to load: `ldap://HOST[:PORT]` or `ldaps://HOST[:PORT]` (IPv6 in brackets), nothing after.
public struct BenchURL: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var tls: Bool

    public init(host: String, port: Int, tls: Bool) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    public init(parsing text: String) throws(BenchSettingsError) {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("ldap://") {
            tls = false
            rest = text.dropFirst("ldap://".count)
        } else if lower.hasPrefix("ldaps://") {
            tls = true
            rest = text.dropFirst("ldaps://".count)
        } else {
            throw BenchSettingsError("--url '\(text)' must start with ldap:// or ldaps://")
        }
        var authority = rest
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.isEmpty, !authority.contains("/"), !authority.contains("?") else {
            throw BenchSettingsError("--url '\(text)' must be ldap[s]://HOST[:PORT] with nothing after")
        }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw BenchSettingsError("--url '\(text)': unclosed [ in the IPv6 address")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw BenchSettingsError("--url '\(text)': junk after ]") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { throw BenchSettingsError("--url '\(text)' has no host") }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw BenchSettingsError("--url '\(text)': the port must be 1 to 65535")
            }
            port = value
        } else {
            port = tls ? 636 : 389
        }
    }

    public var description: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "\(tls ? "ldaps" : "ldap")://\(shown):\(port)"
    }
}

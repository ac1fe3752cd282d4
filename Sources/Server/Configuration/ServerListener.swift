import Foundation

/// One address the server listens on: `ldap://HOST:PORT` (plain, StartTLS available) or `ldaps://HOST:PORT`
/// (TLS from the first byte). Port 0 asks the system for a free port; ``LDAPServer/start()`` reports it.
package struct ServerListener: Hashable, Sendable, CustomStringConvertible {
    /// How the listener speaks.
    package enum Scheme: String, Hashable, Sendable {
        /// LDAP in the clear, StartTLS available.
        case ldap
        /// LDAP over TLS from the first byte.
        case ldaps
    }

    /// The scheme.
    package var scheme: Scheme
    /// The host name or address to bind, without brackets for IPv6.
    package var host: String
    /// The TCP port, 0 for any free port.
    package var port: Int

    /// Makes a listener from its parts.
    package init(scheme: Scheme, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Parses `ldap://HOST:PORT` or `ldaps://HOST:PORT`, IPv6 hosts in brackets (`ldap://[::1]:389`); a trailing
    /// `/` is accepted, nothing else after the port.
    package init(url text: String) throws(ServerConfigurationError) {
        let schemeEnd = text.range(of: "://")
        guard let schemeEnd, let scheme = Scheme(rawValue: String(text[..<schemeEnd.lowerBound]).lowercased()) else {
            throw ServerConfigurationError("'\(text)' is not an ldap:// or ldaps:// URL")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw ServerConfigurationError("'\(text)': IPv6 address without a closing ']'")
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let afterHost = rest[rest.index(after: close)...]
            guard afterHost.hasPrefix(":") else {
                throw ServerConfigurationError("'\(text)' has no port (expected \(scheme.rawValue)://[ADDRESS]:PORT)")
            }
            portText = afterHost.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else {
                throw ServerConfigurationError("'\(text)' has no port (expected \(scheme.rawValue)://HOST:PORT)")
            }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard !host.isEmpty else { throw ServerConfigurationError("'\(text)' has no host") }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber), portText.count <= 5,
            let port = Int(portText), port <= 65535
        else {
            throw ServerConfigurationError("'\(text)': the port must be a number from 0 to 65535")
        }
        self.init(scheme: scheme, host: String(host), port: port)
    }

    /// `SCHEME://HOST:PORT`, IPv6 in brackets.
    package var description: String {
        "\(scheme.rawValue)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}

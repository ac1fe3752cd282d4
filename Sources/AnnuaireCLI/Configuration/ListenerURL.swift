/// A listener of the server: `ldap://HOST:PORT` (plain, with StartTLS) or `ldaps://HOST:PORT` (TLS from the first
/// byte).
struct ListenerURL: Hashable, Sendable, CustomStringConvertible {
    /// How a listener speaks.
    enum Scheme: String, Hashable, Sendable {
        /// LDAP in the clear, StartTLS available.
        case ldap
        /// LDAP over TLS.
        case ldaps
    }

    /// The scheme.
    var scheme: Scheme
    /// The host or address to bind, without brackets.
    var host: String
    /// Whether `host` is an IPv6 literal.
    var isIPv6: Bool
    /// The TCP port.
    var port: Int

    /// `SCHEME://HOST:PORT`.
    var description: String {
        "\(scheme.rawValue)://\(isIPv6 ? "[\(host)]" : host):\(port)"
    }

    /// Parses a listener URL; host and port are required, a path other than `/` is not allowed.
    init(parsing text: String) throws(ConfigurationValueError) {
        let parts = try URLAuthority(parsing: text)
        guard let scheme = Scheme(rawValue: parts.scheme) else {
            throw ConfigurationValueError(
                "'\(text)': scheme '\(parts.scheme)' is not ldap or ldaps (expected ldap://HOST:PORT or "
                    + "ldaps://HOST:PORT)")
        }
        guard parts.userInfo == nil else {
            throw ConfigurationValueError("'\(text)': a listener URL takes no user name or password")
        }
        guard let port = parts.port else {
            throw ConfigurationValueError("'\(text)' has no port (expected \(scheme.rawValue)://HOST:PORT)")
        }
        guard parts.rest.isEmpty || parts.rest == "/" else {
            throw ConfigurationValueError("'\(text)': a listener URL takes no path, query or fragment")
        }
        self.scheme = scheme
        self.host = parts.host
        self.isIPv6 = parts.isIPv6
        self.port = port
    }
}

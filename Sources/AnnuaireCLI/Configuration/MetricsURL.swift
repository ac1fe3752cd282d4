/// Where the Prometheus metrics endpoint listens: `http://HOST:PORT[/PATH]`, path `/metrics` when none is given.
///
/// A `user:password@` part is kept (the credentials a scraper must present) and masked wherever the
/// configuration is printed.
struct MetricsURL: Hashable, Sendable, CustomStringConvertible {
    /// The host or address to bind, without brackets.
    var host: String
    /// Whether `host` is an IPv6 literal.
    var isIPv6: Bool
    /// The TCP port.
    var port: Int
    /// The path served, starting with `/`.
    var path: String
    /// `user:password`, if given.
    var userInfo: String?

    /// The URL, credentials included: not for printing.
    var description: String { render(maskingPassword: false) }

    /// The URL with the password (after `user:`) replaced by `***`.
    var maskedDescription: String { render(maskingPassword: true) }

    /// Parses a metrics URL.
    init(parsing text: String) throws(ConfigurationValueError) {
        let parts = try URLAuthority(parsing: text)
        guard parts.scheme == "http" else {
            throw ConfigurationValueError(
                "'\(text)': scheme '\(parts.scheme)' is not http (the metrics endpoint serves plain HTTP: "
                    + "expected http://HOST:PORT)")
        }
        guard let port = parts.port else {
            throw ConfigurationValueError("'\(text)' has no port (expected http://HOST:PORT)")
        }
        guard !parts.rest.contains("?"), !parts.rest.contains("#") else {
            throw ConfigurationValueError("'\(text)': the metrics URL takes no query or fragment")
        }
        self.host = parts.host
        self.isIPv6 = parts.isIPv6
        self.port = port
        self.path = parts.rest.isEmpty || parts.rest == "/" ? "/metrics" : parts.rest
        self.userInfo = parts.userInfo
    }

    private func render(maskingPassword: Bool) -> String {
        var credentials = ""
        if let userInfo {
            if maskingPassword, let colon = userInfo.firstIndex(of: ":") {
                credentials = userInfo[..<colon] + ":***@"
            } else if maskingPassword {
                credentials = "***@"
            } else {
                credentials = userInfo + "@"
            }
        }
        return "http://\(credentials)\(isIPv6 ? "[\(host)]" : host):\(port)\(path)"
    }
}

import Foundation

/// The pieces of a `scheme://[userinfo@]host[:port][path]` URL, split without Foundation so that messages can say
/// exactly which piece is wrong.
struct URLAuthority: Hashable, Sendable {
    /// The scheme, lower-cased.
    var scheme: String
    /// `user:password` before `@`, if any.
    var userInfo: String?
    /// The host, without the brackets of an IPv6 literal.
    var host: String
    /// Whether the host is an IPv6 literal (written in brackets).
    var isIPv6: Bool
    /// The port, if written.
    var port: Int?
    /// Everything after the authority (path, query, fragment), possibly empty.
    var rest: String

    /// `host` as written in a URL: brackets around an IPv6 literal.
    var hostForURL: String { isIPv6 ? "[\(host)]" : host }

    /// Splits `text`.
    ///
    /// - Throws: ``ConfigurationValueError`` naming the missing or malformed piece.
    init(parsing text: String) throws(ConfigurationValueError) {
        guard let separator = text.range(of: "://") else {
            throw ConfigurationValueError("'\(text)' is not a URL (expected SCHEME://HOST:PORT)")
        }
        scheme = text[..<separator.lowerBound].lowercased()
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        var authority = afterScheme[..<authorityEnd]
        rest = String(afterScheme[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[..<at])
            authority = authority[authority.index(after: at)...]
        } else {
            userInfo = nil
        }
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ConfigurationValueError("'\(text)': unclosed '[' in the IPv6 host")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            isIPv6 = true
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                portText = nil
            } else if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else {
                throw ConfigurationValueError("'\(text)': unexpected '\(after)' after the IPv6 host")
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), host.contains(":")
            else {
                throw ConfigurationValueError("'\(text)': '[\(host)]' is not an IPv6 address")
            }
        } else {
            isIPv6 = false
            if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                portText = authority[authority.index(after: colon)...]
            } else {
                host = String(authority)
                portText = nil
            }
            guard !host.isEmpty else {
                throw ConfigurationValueError("'\(text)' has no host")
            }
            let allowed = host.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }
            guard allowed else {
                throw ConfigurationValueError("'\(text)': '\(host)' is not a host name or IPv4 address")
            }
        }
        if let portText {
            guard let port = Int(portText), portText.allSatisfy(\.isASCII), (1...65_535).contains(port) else {
                throw ConfigurationValueError("'\(text)': port '\(portText)' is not a number from 1 to 65535")
            }
            self.port = port
        } else {
            port = nil
        }
    }
}

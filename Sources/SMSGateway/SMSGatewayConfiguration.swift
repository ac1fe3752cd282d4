/// Where and how the gateway is called (docs/password-reset.md). Its description masks the token.
public struct SMSGatewayConfiguration: Sendable, CustomStringConvertible {
    /// The URL POSTed to (`http://` or `https://`).
    public var url: String
    /// The bearer token sent in `Authorization` (read from a file by the caller; never logged).
    public var bearerToken: String
    /// Seconds one attempt may take, connection included.
    public var timeoutSeconds: Int64
    /// Attempts after the first one when the gateway cannot be reached, times out, or answers 429 or 5xx.
    public var retries: Int
    /// The wait before the first retry; doubled before each next one.
    public var initialBackoff: Duration

    /// Makes a configuration.
    public init(
        url: String, bearerToken: String, timeoutSeconds: Int64 = 10, retries: Int = 2,
        initialBackoff: Duration = .seconds(1)
    ) {
        self.url = url
        self.bearerToken = bearerToken
        self.timeoutSeconds = max(timeoutSeconds, 1)
        self.retries = max(retries, 0)
        self.initialBackoff = initialBackoff
    }

    /// The URL and the settings; the token as `***`.
    public var description: String {
        "SMS gateway \(url) (token ***, timeout \(timeoutSeconds) s, \(retries) retries)"
    }
}

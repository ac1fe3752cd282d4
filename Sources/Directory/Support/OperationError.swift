import LDAPProtocol
import Storage

/// Why an operation failed, as the LDAPResult will say it: result code, diagnostic message, matched DN.
struct OperationError: Error, Sendable {
    var resultCode: ResultCode
    var message: String
    var matchedDN: String

    init(_ resultCode: ResultCode, _ message: String, matchedDN: String = "") {
        self.resultCode = resultCode
        self.message = message
        self.matchedDN = matchedDN
    }

    /// A store failure, with its code, message and matched DN.
    init(_ error: StoreError) {
        self.init(error.resultCode, error.message, matchedDN: error.matchedDN?.description ?? "")
    }

    /// The result carrying this error.
    var result: LDAPResult {
        LDAPResult(resultCode, matchedDN: matchedDN, diagnosticMessage: message)
    }

    /// invalidDNSyntax for a DN the client sent that does not parse.
    static func invalidDN(_ what: String) -> OperationError {
        OperationError(.invalidDNSyntax, "invalid DN in \(what)")
    }
}

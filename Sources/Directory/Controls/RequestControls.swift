import LDAPProtocol
import NIOCore

/// The controls of one request, decoded. RFC 4511 §4.1.11: an unknown or inapplicable control is ignored
/// unless critical (unavailableCriticalExtension); a known control whose value does not decode is a
/// protocolError (as slapd answers).
struct RequestControls: Sendable {
    var assertion: Filter?
    var preRead: [ByteBuffer]?
    var postRead: [ByteBuffer]?
    var paged: PagedResultsControl?
    var pagedIsCritical = false

    init(_ controls: [LDAPControl], for operation: OperationKind) throws(OperationError) {
        for control in controls {
            let oid = control.oid
            guard SupportedControls.applies(oid, to: operation) else {
                if control.criticality {
                    throw OperationError(.unavailableCriticalExtension, "critical extension is not recognized")
                }
                continue
            }
            do {
                switch oid {
                case AssertionControl.oid:
                    assertion = try AssertionControl(controlValue: control.value).assertion
                case PagedResultsControl.oid:
                    paged = try PagedResultsControl(controlValue: control.value)
                    pagedIsCritical = control.criticality
                case ReadEntryControl.Kind.preRead.rawValue, ReadEntryControl.Kind.postRead.rawValue:
                    guard let read = try ReadEntryControl(request: control) else { continue }
                    if read.kind == .preRead { preRead = read.attributes } else { postRead = read.attributes }
                default:
                    continue
                }
            } catch {
                throw OperationError(.protocolError, "control \(oid) is malformed: \(error)")
            }
        }
    }
}

/// The operations, as the controls and the access log name them.
enum OperationKind: String, Sendable {
    case bind = "BIND"
    case search = "SRCH"
    case compare = "CMP"
    case add = "ADD"
    case delete = "DEL"
    case modify = "MOD"
    case modifyDN = "MODRDN"
    case extended = "EXT"
}

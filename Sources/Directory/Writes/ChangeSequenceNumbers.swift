import NIOConcurrencyHelpers

/// Makes `entryCSN` values in OpenLDAP's form, `YYYYmmddHHMMSS.ffffffZ#cccccc#sid#mmmmmm`, strictly increasing
/// even when two writes fall in the same microsecond or the wall clock steps back (a syncrepl consumer drops
/// changes whose CSN is not newer than the last it saw).
final class ChangeSequenceNumbers: Sendable {
    private struct State {
        var lastMicroseconds: Int64 = .min
        var count = 0
    }

    private let state = NIOLockedValueBox(State())
    private let serverID: Int

    init(serverID: Int = 0) {
        self.serverID = serverID
    }

    /// The next CSN, for a write at `microseconds` since 1970.
    func next(at microseconds: Int64) -> String {
        let (time, count) = state.withLockedValue { state -> (Int64, Int) in
            if microseconds > state.lastMicroseconds {
                state.lastMicroseconds = microseconds
                state.count = 0
            } else {
                state.count += 1
            }
            return (state.lastMicroseconds, state.count)
        }
        return GeneralizedTimeFormatter.microseconds(time) + "#" + Self.hex(count, 6) + "#" + Self.hex(serverID, 3)
            + "#000000"
    }

    private static func hex(_ value: Int, _ width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

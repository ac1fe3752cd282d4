/// The three base64 dialects that stored password values use, decoded strictly: an unknown character, a bad
/// length or non-zero trailing bits fail instead of being skipped, so a damaged stored value never verifies by
/// accident and never traps.
///
/// - ``standard``: RFC 4648 §4 with `=` padding, as RFC 2307 `{SSHA}`-style values (padding is also accepted
///   when missing, as slapd's decoder does).
/// - ``phc``: RFC 4648 §4 without padding, as the PHC string format of Argon2 (`$argon2id$…$salt$hash`).
/// - ``adapted``: passlib's "adapted base64" that OpenLDAP's pw-pbkdf2 writes: `.` instead of `+`, no padding.
struct Base64Codec: Sendable {
    /// The 64 characters in value order.
    private let alphabet: [UInt8]
    /// Whether ``encode(_:)`` writes `=` padding.
    private let pads: Bool
    /// Value of each byte, 0xFF for characters outside the alphabet.
    private let values: [UInt8]

    private init(alphabet: String, pads: Bool) {
        let characters = Array(alphabet.utf8)
        self.alphabet = characters
        self.pads = pads
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in characters.enumerated() { values[Int(character)] = UInt8(index) }
        self.values = values
    }

    private static let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

    /// RFC 4648 with padding.
    static let standard = Base64Codec(alphabet: letters + "+/", pads: true)
    /// RFC 4648 without padding (PHC strings).
    static let phc = Base64Codec(alphabet: letters + "+/", pads: false)
    /// Passlib's adapted base64 (`.` for `+`, no padding), OpenLDAP pw-pbkdf2's encoding.
    static let adapted = Base64Codec(alphabet: letters + "./", pads: false)

    /// The text form of `bytes`.
    func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = second == nil ? nil : iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            if second != nil {
                output.append(alphabet[Int(group >> 6 & 0x3F)])
            } else if pads {
                output.append(UInt8(ascii: "="))
            }
            if third != nil {
                output.append(alphabet[Int(group & 0x3F)])
            } else if pads {
                output.append(UInt8(ascii: "="))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes `text` encodes; `nil` when it is not exactly a value of this dialect (padding, when present,
    /// must be complete and final; unused trailing bits must be zero, so that each value has one spelling).
    func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var characters = Array(text)
        var padding = 0
        while characters.last == UInt8(ascii: "=") {
            characters.removeLast()
            padding += 1
        }
        if padding > 0 {
            // Only the standard dialect pads, and then the padded length is a multiple of 4.
            guard pads, padding <= 2, (characters.count + padding) % 4 == 0 else { return nil }
        }
        let remainder = characters.count % 4
        guard remainder != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count / 4 * 3 + 2)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in characters {
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Leftover bits (2 or 4) must be zero.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }
}

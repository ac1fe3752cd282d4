/// UTF-8 checks shared by the DN and filter string forms.
enum UTF8Validation {
    /// The offset of the first byte of `bytes[range]` that does not start a valid UTF-8 sequence,
    /// or `nil` when the whole range is valid. Linear in the length of the range.
    static func firstInvalidOffset(in bytes: [UInt8], range: Range<Int>) -> Int? {
        var invalidOffset: Int?
        self.forEachSequence(in: bytes, range: range) { start, _, isValid in
            if !isValid {
                invalidOffset = start
                return false
            }
            return true
        }
        return invalidOffset
    }

    /// Calls `body(start, length, isValid)` for each scalar sequence (or maximal invalid
    /// subsequence) of `bytes[range]`, in order, until `body` returns `false`.
    static func forEachSequence(
        in bytes: [UInt8],
        range: Range<Int>,
        _ body: (_ start: Int, _ length: Int, _ isValid: Bool) -> Bool
    ) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes[range].makeIterator()
        var offset = range.lowerBound
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                guard body(offset, encoded.count, true) else { return }
                offset += encoded.count
            case .error(let length):
                guard body(offset, length, false) else { return }
                offset += length
            case .emptyInput:
                return
            }
        }
    }
}

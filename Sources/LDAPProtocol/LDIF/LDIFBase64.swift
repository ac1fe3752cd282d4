/// Strict base64 (RFC 4648 §4, with padding) for LDIF `::` values.
enum LDIFBase64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// Appends the base64 encoding of `bytes` to `output`.
    static func encode(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + (bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = b1 == nil ? nil : iterator.next()
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            if let b1 {
                output.append(alphabet[Int((b1 & 0x0F) << 2 | (b2 ?? 0) >> 6)])
            } else {
                output.append(0x3D)
            }
            if let b2 {
                output.append(alphabet[Int(b2 & 0x3F)])
            } else {
                output.append(0x3D)
            }
        }
    }

    /// Decodes canonical base64: only alphabet characters, a length that is a multiple of 4, at most two `=`
    /// at the very end, and zero padding bits. Returns `nil` for anything else.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let characters = Array(text)
        guard characters.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count / 4 * 3)
        var index = 0
        while index < characters.count {
            let isLast = index + 4 == characters.count
            let c0 = decodeTable[Int(characters[index])]
            let c1 = decodeTable[Int(characters[index + 1])]
            guard c0 != 0xFF, c1 != 0xFF else { return nil }
            let pad2 = characters[index + 2] == 0x3D
            let pad3 = characters[index + 3] == 0x3D
            if pad2 || pad3 {
                guard isLast, pad3 else { return nil }
            }
            output.append(c0 << 2 | c1 >> 4)
            if pad2 {
                guard c1 & 0x0F == 0 else { return nil }
            } else {
                let c2 = decodeTable[Int(characters[index + 2])]
                guard c2 != 0xFF else { return nil }
                output.append((c1 & 0x0F) << 4 | c2 >> 2)
                if pad3 {
                    guard c2 & 0x03 == 0 else { return nil }
                } else {
                    let c3 = decodeTable[Int(characters[index + 3])]
                    guard c3 != 0xFF else { return nil }
                    output.append((c2 & 0x03) << 6 | c3)
                }
            }
            index += 4
        }
        return output
    }
}

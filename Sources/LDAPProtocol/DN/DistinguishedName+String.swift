import NIOCore

extension DistinguishedName: CustomStringConvertible {
    /// The default bound on the length, in UTF-8 bytes, of a DN string accepted by the parser.
    public static let defaultMaximumLength = 65_536

    /// Parses the RFC 4514 string form of a DN; the empty string is the root DN.
    ///
    /// Accepts, as OpenLDAP does, spaces around `,` `+` `=` and `;` as an RDN separator.
    /// Parsing is linear in the input; inputs longer than `maximumLength` bytes are refused.
    public init(_ string: String, maximumLength: Int = DistinguishedName.defaultMaximumLength) throws(DNSyntaxError) {
        var parser = DNParser(bytes: Array(string.utf8))
        self.init(rdns: try parser.parse(validateUTF8: false, maximumLength: maximumLength))
    }

    /// Parses the RFC 4514 string form of a DN from UTF-8 bytes (an LDAPDN of a request).
    /// Invalid UTF-8 is refused.
    public init<Bytes: Sequence<UInt8>>(
        utf8 bytes: Bytes,
        maximumLength: Int = DistinguishedName.defaultMaximumLength
    ) throws(DNSyntaxError) {
        var parser = DNParser(bytes: Array(bytes))
        self.init(rdns: try parser.parse(validateUTF8: true, maximumLength: maximumLength))
    }

    /// Parses the RFC 4514 string form of a DN from the readable bytes of `buffer`, which are
    /// not consumed. Invalid UTF-8 is refused.
    public init(utf8 buffer: ByteBuffer, maximumLength: Int = DistinguishedName.defaultMaximumLength)
        throws(DNSyntaxError)
    {
        try self.init(utf8: buffer.readableBytesView, maximumLength: maximumLength)
    }

    /// The RFC 4514 §2 string form, e.g. `cn=Smith\, John+uid=js,dc=example,dc=com`.
    public var description: String {
        String(decoding: self.utf8Bytes, as: UTF8.self)
    }

    /// The RFC 4514 §2 string form as UTF-8 bytes.
    public var utf8Bytes: [UInt8] {
        var output: [UInt8] = []
        for (index, rdn) in self.rdns.enumerated() {
            if index > 0 {
                output.append(UInt8(ascii: ","))
            }
            rdn.write(into: &output)
        }
        return output
    }
}

extension RelativeDistinguishedName: CustomStringConvertible {
    /// The RFC 4514 string form, components joined by `+`.
    public var description: String {
        var output: [UInt8] = []
        self.write(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    func write(into output: inout [UInt8]) {
        for (index, attribute) in self.attributes.enumerated() {
            if index > 0 {
                output.append(UInt8(ascii: "+"))
            }
            attribute.write(into: &output)
        }
    }
}

extension AttributeTypeAndValue: CustomStringConvertible {
    /// The RFC 4514 string form `type=value`, the value escaped or in `#hex` form. A string value
    /// that is not UTF-8 (possible only when built in code) prints with `\XX` escapes, which the
    /// parser refuses: such a value belongs in the `#hex` form.
    public var description: String {
        var output: [UInt8] = []
        self.write(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Writes `type=value` per RFC 4514 §2.3–2.4: `"+,;<>\` escaped anywhere, `#` and space at
    /// the start, space at the end, NUL as `\00`; bytes that are not UTF-8 (possible only in
    /// values built in code) as `\XX`.
    func write(into output: inout [UInt8]) {
        output.append(contentsOf: self.type.utf8)
        output.append(UInt8(ascii: "="))
        if self.isHexForm {
            output.append(UInt8(ascii: "#"))
            for byte in self.value {
                DNHex.append(byte, to: &output)
            }
            return
        }
        let value = self.value
        let lastIndex = value.count - 1
        UTF8Validation.forEachSequence(in: value, range: value.indices) { start, length, isValid in
            guard isValid else {
                for byte in value[start..<(start + length)] {
                    output.append(UInt8(ascii: "\\"))
                    DNHex.append(byte, to: &output)
                }
                return true
            }
            let byte = value[start]
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "<"),
                UInt8(ascii: ">"), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case UInt8(ascii: "#") where start == 0:
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case UInt8(ascii: " ") where start == 0 || start == lastIndex:
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0:
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            default:
                output.append(contentsOf: value[start..<(start + length)])
            }
            return true
        }
    }
}

import NIOCore

/// Reading the BER subset of RFC 4511 §5.1 straight from a `ByteBuffer`.
///
/// Content is returned as slices of the input buffer (no copy). Every read either consumes a whole
/// element or throws; on a throw the reader index is unspecified, since the PDU is rejected as a whole.
extension ByteBuffer {
    /// The largest element length we accept, far above any PDU limit a server would configure.
    public static let berMaximumLength = Int(Int32.max)

    /// Peeks at the tag of the next element without consuming it; nil if no byte is readable.
    @inlinable
    public func peekBERTag() -> BERTag? {
        var copy = self
        return try? copy.readBERTag()
    }

    /// Reads the identifier octets of an element.
    @inlinable
    public mutating func readBERTag() throws(LDAPDecodingError) -> BERTag {
        guard let first = self.readInteger(as: UInt8.self) else {
            throw LDAPDecodingError(.truncated, context: "tag")
        }
        let tagClass = BERTag.TagClass(rawValue: first & 0xC0) ?? .universal
        let constructed = first & 0x20 != 0
        var number = UInt32(first & 0x1F)
        if number == 0x1F {
            // High tag number form: base-128 digits, bit 8 set on all but the last.
            number = 0
            var digits = 0
            while true {
                guard let byte = self.readInteger(as: UInt8.self) else {
                    throw LDAPDecodingError(.truncated, context: "tag")
                }
                digits += 1
                guard digits <= 4 else { throw LDAPDecodingError(.lengthTooLarge, context: "tag number") }
                number = (number << 7) | UInt32(byte & 0x7F)
                if byte & 0x80 == 0 { break }
            }
        }
        return BERTag(tagClass, constructed: constructed, number: number)
    }

    /// Reads the length octets of an element (definite forms only).
    @inlinable
    public mutating func readBERLength() throws(LDAPDecodingError) -> Int {
        guard let first = self.readInteger(as: UInt8.self) else {
            throw LDAPDecodingError(.truncated, context: "length")
        }
        if first < 0x80 { return Int(first) }
        if first == 0x80 { throw LDAPDecodingError(.indefiniteLength, context: "length") }
        let count = Int(first & 0x7F)
        guard count <= self.readableBytes else { throw LDAPDecodingError(.truncated, context: "length") }
        var length = 0
        for _ in 0..<count {
            // readInteger cannot fail: count <= readableBytes was checked above.
            let byte = self.readInteger(as: UInt8.self) ?? 0
            guard length <= (ByteBuffer.berMaximumLength >> 8) else {
                throw LDAPDecodingError(.lengthTooLarge, context: "length")
            }
            length = (length << 8) | Int(byte)
        }
        return length
    }

    /// Parses the identifier and length octets at the start of `bytes` in one pass over raw memory
    /// (one storage access per element rather than one per octet). Returns the tag, the header size and
    /// the declared content length; throws `truncated` when the header itself is incomplete.
    @inlinable
    static func parseBERHeader(
        _ bytes: UnsafeRawBufferPointer
    ) throws(LDAPDecodingError) -> (tag: BERTag, headerLength: Int, contentLength: Int) {
        let count = bytes.count
        guard count > 0 else { throw LDAPDecodingError(.truncated, context: "tag") }
        let first = bytes[0]
        let tagClass = BERTag.TagClass(rawValue: first & 0xC0) ?? .universal
        var number = UInt32(first & 0x1F)
        var index = 1
        if number == 0x1F {
            number = 0
            while true {
                guard index < count else { throw LDAPDecodingError(.truncated, context: "tag") }
                let byte = bytes[index]
                index += 1
                guard index <= 5 else { throw LDAPDecodingError(.lengthTooLarge, context: "tag number") }
                number = (number << 7) | UInt32(byte & 0x7F)
                if byte & 0x80 == 0 { break }
            }
        }
        let tag = BERTag(tagClass, constructed: first & 0x20 != 0, number: number)
        guard index < count else { throw LDAPDecodingError(.truncated, context: "length") }
        let lengthByte = bytes[index]
        index += 1
        if lengthByte < 0x80 { return (tag, index, Int(lengthByte)) }
        if lengthByte == 0x80 { throw LDAPDecodingError(.indefiniteLength, context: "length") }
        let octets = Int(lengthByte & 0x7F)
        guard octets <= count - index else { throw LDAPDecodingError(.truncated, context: "length") }
        var length = 0
        for offset in index..<(index + octets) {
            guard length <= (ByteBuffer.berMaximumLength >> 8) else {
                throw LDAPDecodingError(.lengthTooLarge, context: "length")
            }
            length = (length << 8) | Int(bytes[offset])
        }
        return (tag, index + octets, length)
    }

    /// How many whole elements follow in the readable bytes, counting headers only (no content is read).
    /// Used as a capacity hint before decoding a SEQUENCE OF / SET OF, so the array is allocated once;
    /// malformed bytes simply end the count, and decoding reports them.
    @inlinable
    public func berElementCount() -> Int {
        self.withUnsafeReadableBytes { bytes in
            var count = 0
            var offset = 0
            while offset < bytes.count {
                guard
                    let header = try? ByteBuffer.parseBERHeader(UnsafeRawBufferPointer(rebasing: bytes[offset...])),
                    header.contentLength <= bytes.count - offset - header.headerLength
                else { break }
                offset += header.headerLength + header.contentLength
                count += 1
            }
            return count
        }
    }

    /// Reads a whole element: its tag and its content as a slice of this buffer.
    @inlinable
    public mutating func readBERElement() throws(LDAPDecodingError) -> (tag: BERTag, content: ByteBuffer) {
        let header = try self.withUnsafeReadableBytes { bytes throws(LDAPDecodingError) in
            try ByteBuffer.parseBERHeader(bytes)
        }
        guard header.contentLength <= self.readableBytes - header.headerLength else {
            throw LDAPDecodingError(.truncated, context: "\(header.tag) content")
        }
        self.moveReaderIndex(forwardBy: header.headerLength)
        let content = self.getSlice(at: self.readerIndex, length: header.contentLength) ?? ByteBuffer()
        self.moveReaderIndex(forwardBy: header.contentLength)
        return (header.tag, content)
    }

    /// Reads an element that must carry `tag`, returning its content.
    @inlinable
    public mutating func readBERElement(
        expecting tag: BERTag,
        context: @autoclosure () -> String
    ) throws(LDAPDecodingError) -> ByteBuffer {
        let element = try self.readBERElement()
        guard element.tag == tag else {
            throw LDAPDecodingError(.unexpectedTag(expected: tag, found: element.tag), context: context())
        }
        return element.content
    }

    /// Reads an OCTET STRING (or an implicitly tagged one) as a slice of this buffer.
    @inlinable
    public mutating func readBEROctetString(
        tag: BERTag = .octetString,
        context: @autoclosure () -> String
    ) throws(LDAPDecodingError) -> ByteBuffer {
        try self.readBERElement(expecting: tag, context: context())
    }

    /// Reads an INTEGER or ENUMERATED of any length, checking it fits `T`.
    @inlinable
    public mutating func readBERInteger<T: FixedWidthInteger>(
        as type: T.Type = T.self,
        tag: BERTag = .integer,
        context: @autoclosure () -> String
    ) throws(LDAPDecodingError) -> T {
        let content = try self.readBERElement(expecting: tag, context: context())
        return try content.berIntegerValue(as: T.self, context: context())
    }

    /// Interprets the whole readable part of this buffer as the content octets of an INTEGER.
    @inlinable
    public func berIntegerValue<T: FixedWidthInteger>(
        as type: T.Type = T.self,
        context: @autoclosure () -> String
    ) throws(LDAPDecodingError) -> T {
        let count = self.readableBytes
        guard count > 0 else { throw LDAPDecodingError(.malformedInteger, context: context()) }
        let value = self.withUnsafeReadableBytes { bytes -> T? in
            let negative = bytes[0] & 0x80 != 0
            let fill: UInt8 = negative ? 0xFF : 0x00
            // Skip redundant sign-extension octets, keeping one that carries the sign.
            var start = 0
            while start + 1 < count, bytes[start] == fill, (bytes[start + 1] & 0x80 != 0) == negative {
                start += 1
            }
            guard count - start <= 8 else { return nil }
            var value: Int64 = negative ? -1 : 0
            for index in start..<count {
                value = (value << 8) | Int64(bytes[index])
            }
            return T(exactly: value)
        }
        guard let value else { throw LDAPDecodingError(.integerOutOfRange, context: context()) }
        return value
    }

    /// Reads a BOOLEAN; any non-zero content octet is TRUE (X.690 §8.2.2).
    @inlinable
    public mutating func readBERBoolean(
        tag: BERTag = .boolean,
        context: @autoclosure () -> String
    ) throws(LDAPDecodingError) -> Bool {
        let content = try self.readBERElement(expecting: tag, context: context())
        guard content.readableBytes == 1, let byte = content.getInteger(at: content.readerIndex, as: UInt8.self) else {
            throw LDAPDecodingError(.malformedBoolean, context: context())
        }
        return byte != 0
    }

    /// Reads a NULL (or an implicitly tagged one).
    @inlinable
    public mutating func readBERNull(tag: BERTag = .null, context: @autoclosure () -> String) throws(LDAPDecodingError) {
        let content = try self.readBERElement(expecting: tag, context: context())
        guard content.readableBytes == 0 else { throw LDAPDecodingError(.malformedNull, context: context()) }
    }

    /// Throws unless every byte of this buffer has been consumed.
    @inlinable
    public func requireBERFullyConsumed(context: @autoclosure () -> String) throws(LDAPDecodingError) {
        guard self.readableBytes == 0 else { throw LDAPDecodingError(.trailingBytes, context: context()) }
    }

    /// The total size of the BER element at the start of the readable bytes, header included,
    /// or nil when more bytes are needed to know it. Nothing is consumed.
    @inlinable
    public func berElementSize() throws(LDAPDecodingError) -> Int? {
        do {
            let header = try self.withUnsafeReadableBytes { bytes throws(LDAPDecodingError) in
                try ByteBuffer.parseBERHeader(bytes)
            }
            return header.headerLength + header.contentLength
        } catch where error.kind == .truncated {
            return nil
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Writing BER (definite lengths, minimal encodings) straight into a `ByteBuffer`.
///
/// Constructed elements are written in place: a length slot is reserved, the content is written
/// after it, and the content is shifted only when the length needs more octets than reserved.
extension ByteBuffer {
    /// Writes the identifier octets of `tag`.
    @inlinable
    public mutating func writeBERTag(_ tag: BERTag) {
        let leading = tag.tagClass.rawValue | (tag.isConstructed ? 0x20 : 0)
        if tag.number < 31 {
            self.writeInteger(leading | UInt8(tag.number))
            return
        }
        self.writeInteger(leading | 0x1F)
        var shift = 28
        while shift > 0, tag.number >> UInt32(shift) == 0 { shift -= 7 }
        while shift > 0 {
            self.writeInteger(UInt8(truncatingIfNeeded: tag.number >> UInt32(shift)) | 0x80)
            shift -= 7
        }
        self.writeInteger(UInt8(truncatingIfNeeded: tag.number) & 0x7F)
    }

    /// The number of octets the definite-form encoding of `length` takes.
    @inlinable
    public static func berLengthSize(_ length: Int) -> Int {
        if length < 0x80 { return 1 }
        var octets = 0
        var rest = length
        while rest > 0 {
            octets += 1
            rest >>= 8
        }
        return 1 + octets
    }

    /// Writes `length` in the minimal definite form.
    @inlinable
    public mutating func writeBERLength(_ length: Int) {
        self.setBERLength(length, at: self.writerIndex, size: ByteBuffer.berLengthSize(length))
        self.moveWriterIndex(forwardBy: ByteBuffer.berLengthSize(length))
    }

    @inlinable
    mutating func setBERLength(_ length: Int, at index: Int, size: Int) {
        if size == 1 {
            self.setInteger(UInt8(truncatingIfNeeded: length), at: index)
            return
        }
        self.setInteger(UInt8(0x80 | (size - 1)), at: index)
        for position in 1..<size {
            let shift = 8 * (size - 1 - position)
            self.setInteger(UInt8(truncatingIfNeeded: length >> shift), at: index + position)
        }
    }

    /// Writes a constructed (or any) element whose content `body` writes directly into this buffer.
    ///
    /// - Parameter lengthHint: octets reserved for the length; a good guess avoids moving the content.
    @inlinable
    public mutating func writeBERElement(
        _ tag: BERTag,
        lengthHint: Int = 1,
        _ body: (inout ByteBuffer) -> Void
    ) {
        self.writeBERTag(tag)
        let lengthIndex = self.writerIndex
        let reserved = max(1, min(lengthHint, 5))
        self.writeRepeatingByte(0, count: reserved)
        let contentStart = self.writerIndex
        body(&self)
        let length = self.writerIndex - contentStart
        let needed = ByteBuffer.berLengthSize(length)
        if needed != reserved {
            if needed > reserved {
                self.writeRepeatingByte(0, count: needed - reserved)
            }
            // Index 0 of the yielded storage is index 0 of this buffer; memmove handles the overlap.
            self.withVeryUnsafeMutableBytes { storage in
                guard let base = storage.baseAddress else { return }
                memmove(base + lengthIndex + needed, base + contentStart, length)
            }
            self.moveWriterIndex(to: lengthIndex + needed + length)
        }
        self.setBERLength(length, at: lengthIndex, size: needed)
    }

    /// Writes a primitive element with the given content bytes.
    @inlinable
    public mutating func writeBERPrimitive(_ tag: BERTag, bytes: ByteBuffer) {
        self.writeBERTag(tag)
        self.writeBERLength(bytes.readableBytes)
        self.writeImmutableBuffer(bytes)
    }

    /// Writes an OCTET STRING (or an implicitly tagged one) from a buffer's readable bytes.
    @inlinable
    public mutating func writeBEROctetString(_ bytes: ByteBuffer, tag: BERTag = .octetString) {
        self.writeBERPrimitive(tag, bytes: bytes)
    }

    /// Writes an OCTET STRING (or an implicitly tagged one) holding the UTF-8 of `string`.
    @inlinable
    public mutating func writeBEROctetString(_ string: String, tag: BERTag = .octetString) {
        self.writeBERTag(tag)
        self.writeBERLength(string.utf8.count)
        self.writeString(string)
    }

    /// Writes an OCTET STRING (or an implicitly tagged one) from raw bytes.
    @inlinable
    public mutating func writeBEROctetString(bytes: some Collection<UInt8>, tag: BERTag = .octetString) {
        self.writeBERTag(tag)
        self.writeBERLength(bytes.count)
        self.writeBytes(bytes)
    }

    /// Writes an INTEGER or ENUMERATED in the minimal two's-complement form.
    @inlinable
    public mutating func writeBERInteger(_ value: some FixedWidthInteger, tag: BERTag = .integer) {
        let wide = Int64(truncatingIfNeeded: value)
        // Fewest octets that keep the sign: drop leading octets equal to the sign fill.
        var size = 8
        while size > 1 {
            let top = UInt8(truncatingIfNeeded: wide >> Int64(8 * (size - 1)))
            let next = UInt8(truncatingIfNeeded: wide >> Int64(8 * (size - 2)))
            if (top == 0x00 && next & 0x80 == 0) || (top == 0xFF && next & 0x80 != 0) {
                size -= 1
            } else {
                break
            }
        }
        self.writeBERTag(tag)
        self.writeBERLength(size)
        for index in stride(from: size - 1, through: 0, by: -1) {
            self.writeInteger(UInt8(truncatingIfNeeded: wide >> Int64(8 * index)))
        }
    }

    /// Writes a BOOLEAN as the DER form (0xFF for TRUE) that LDAP encoders use.
    @inlinable
    public mutating func writeBERBoolean(_ value: Bool, tag: BERTag = .boolean) {
        self.writeBERTag(tag)
        self.writeInteger(UInt8(1))
        self.writeInteger(value ? UInt8(0xFF) : 0x00)
    }

    /// Writes a NULL (or an implicitly tagged one).
    @inlinable
    public mutating func writeBERNull(tag: BERTag = .null) {
        self.writeBERTag(tag)
        self.writeInteger(UInt8(0))
    }
}

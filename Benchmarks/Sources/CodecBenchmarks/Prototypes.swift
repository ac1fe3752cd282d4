import LDAPProtocol
import NIOCore

// A prototype for the recommendation in docs/benchmarks.md, measured here without touching Sources/:
// reading an element's identifier and length octets inside ONE `withUnsafeReadableBytes` instead of one
// `readInteger(as: UInt8.self)` per octet. Each ByteBuffer read inlined into another module reads the
// class `var`s of `ByteBuffer._Storage`, so it pays a dynamic exclusivity check (swift_beginAccess):
// 2 to 5 per element today, 1 with this prototype. The `proto.walk.*` workloads walk every element of a
// message (descending into constructed ones) with both readers, so the difference is the header cost alone.

extension ByteBuffer {
    /// Reads one element's header with a single access to the storage, and its content as a slice.
    /// Falls back to the library's reader for high tag numbers and malformed input.
    @inlinable
    mutating func prototypeReadBERElement(tag: inout BERTag) throws(LDAPDecodingError) -> ByteBuffer {
        let header: (identifier: UInt8, size: Int, length: Int)? = self.withUnsafeReadableBytes { bytes in
            guard bytes.count >= 2 else { return nil }
            let identifier = bytes[0]
            guard identifier & 0x1F != 0x1F else { return nil }
            let first = bytes[1]
            if first < 0x80 { return (identifier, 2, Int(first)) }
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, bytes.count >= 2 + count else { return nil }
            var length = 0
            for index in 0..<count { length = (length << 8) | Int(bytes[2 + index]) }
            return (identifier, 2 + count, length)
        }
        guard let header else {
            let element = try self.readBERElement()
            tag = element.tag
            return element.content
        }
        tag = BERTag(
            BERTag.TagClass(rawValue: header.identifier & 0xC0) ?? .universal,
            constructed: header.identifier & 0x20 != 0,
            number: UInt32(header.identifier & 0x1F)
        )
        self.moveReaderIndex(forwardBy: header.size)
        guard let content = self.readSlice(length: header.length) else {
            throw LDAPDecodingError(.truncated, context: "\(tag) content")
        }
        return content
    }
}

enum TLVWalk {
    /// Walks every element with the library's `readBERElement()`; returns the number of elements.
    static func current(_ buffer: inout ByteBuffer) throws(LDAPDecodingError) -> Int {
        var count = 0
        while buffer.readableBytes > 0 {
            var element = try buffer.readBERElement()
            count += 1
            if element.tag.isConstructed { count += try current(&element.content) }
        }
        return count
    }

    /// The same walk with the one-access prototype.
    static func prototype(_ buffer: inout ByteBuffer) throws(LDAPDecodingError) -> Int {
        var count = 0
        var tag = BERTag.null
        while buffer.readableBytes > 0 {
            var content = try buffer.prototypeReadBERElement(tag: &tag)
            count += 1
            if tag.isConstructed { count += try prototype(&content) }
        }
        return count
    }
}

// The second recommendation: `[Filter]` and `[ByteBuffer]` built by appending from empty grow 0 → 1 → 2 → 4,
// i.e. three allocations for three elements, in Filter.init (and/or) and SearchRequest.init (attributes).
// These workloads build the two arrays of the SearchRequest both ways.
enum ArrayBuilding {
    static let term = Filter.equalityMatch(AttributeValueAssertion("uid", "jdupont-xt"))
    static let attribute = ByteBuffer(string: "mail")

    @inline(never)
    static func grown(count: Int) -> ([Filter], [ByteBuffer]) {
        var filters: [Filter] = []
        var attributes: [ByteBuffer] = []
        for _ in 0..<count {
            filters.append(term)
            attributes.append(attribute)
        }
        return (filters, attributes)
    }

    @inline(never)
    static func reserved(count: Int) -> ([Filter], [ByteBuffer]) {
        var filters: [Filter] = []
        var attributes: [ByteBuffer] = []
        filters.reserveCapacity(count)
        attributes.reserveCapacity(count)
        for _ in 0..<count {
            filters.append(term)
            attributes.append(attribute)
        }
        return (filters, attributes)
    }
}

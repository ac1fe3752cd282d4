import Schema

extension EntryIndexer {
    /// The keys of ``indexEntries(of:)`` for a validated entry, numbered by `slots`: the types and equality-
    /// normalised values come from the validation instead of being resolved again.
    func bulkIndexKeys(of entry: Entry, validated: ValidatedAttributes, slots: IndexSlots) -> BulkIndexKeys {
        var result = BulkIndexKeys()
        for (position, attribute) in entry.attributes.enumerated() {
            let type = validated.types[position]
            let typeSlots = slots.byType[type.id]
            guard typeSlots.isIndexed else { continue }
            if typeSlots.presence >= 0 { result.packed.append(BulkIndexKeys.presence(slot: typeSlots.presence)) }
            if typeSlots.equality >= 0 {
                // The validation normalised every value with the type's equality rule, successfully.
                for normalized in validated.normalized[position] {
                    result.values.append(
                        (typeSlots.equality, IndexKeys.valueKey(normalized, maxKeySize: maxKeySize)))
                }
            }
            if typeSlots.ordering >= 0, let rule = type.ordering {
                for value in attribute.values {
                    guard let normalized = try? context.normalize(value, rule: rule, of: type) else { continue }
                    result.values.append(
                        (typeSlots.ordering, IndexKeys.valueKey(normalized, maxKeySize: maxKeySize)))
                }
            }
            if typeSlots.substring >= 0, let rule = type.substring {
                for value in attribute.values {
                    guard let normalized = try? context.normalize(value, rule: rule, of: type) else { continue }
                    Self.appendSubstringKeys(of: normalized, slot: typeSlots.substring, to: &result.packed)
                }
            }
        }
        // Sorted by slot, and unique: each pair is then written once, as the last id of its key (MDB_APPENDDUP).
        result.values.sort { $0.slot != $1.slot ? $0.slot < $1.slot : $0.key.lexicographicallyPrecedes($1.key) }
        var uniqueValues = 0
        for index in result.values.indices
        where index == 0 || result.values[index] != result.values[uniqueValues - 1] {
            result.values[uniqueValues] = result.values[index]
            uniqueValues += 1
        }
        result.values.removeLast(result.values.count - uniqueValues)
        result.packed.sort()
        var unique = 0
        for index in result.packed.indices where index == 0 || result.packed[index] != result.packed[unique - 1] {
            result.packed[unique] = result.packed[index]
            unique += 1
        }
        result.packed.removeLast(result.packed.count - unique)
        return result
    }

    /// ``IndexKeys/substringKeys(_:)`` of `value`, packed (keys of at most 4 bytes, under any key limit).
    static func appendSubstringKeys(of value: [UInt8], slot: Int, to keys: inout [UInt64]) {
        guard !value.isEmpty else { return }
        let gramLength = IndexKeys.gramLength
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: gramLength + 1) { buffer in
            value.withUnsafeBufferPointer { bytes in
                func add(_ tag: UInt8, _ range: Range<Int>) {
                    buffer[0] = tag
                    for (offset, index) in range.enumerated() { buffer[1 + offset] = bytes[index] }
                    keys.append(
                        BulkIndexKeys.pack(
                            slot: slot, gram: UnsafeBufferPointer(rebasing: buffer[0..<(1 + range.count)])))
                }
                for length in 1...min(gramLength, bytes.count) {
                    add(IndexKeys.initialTag, 0..<length)
                    add(IndexKeys.finalTag, (bytes.count - length)..<bytes.count)
                }
                if bytes.count >= gramLength {
                    for start in 0...(bytes.count - gramLength) { add(IndexKeys.gramTag, start..<(start + gramLength)) }
                }
            }
        }
    }
}
